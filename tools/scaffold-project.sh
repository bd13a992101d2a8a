#!/usr/bin/env bash
# Lays out a project the house way (STYLE.md "every lib the same shape"):
#   tools/scaffold-project.sh <dir> <name> <tag> [library|application]
# Writes project.json, package.json, tsconfig.json, jest.config.cjs, src/index.ts, README.md; registers the
# @bedrock-usage/<name> path for libraries. Existing files are left alone.
set -euo pipefail
dir=$1 name=$2 tag=$3 kind=${4:-library}
root=$(cd "$(dirname "$0")/.." && pwd)
up=$(realpath --relative-to="$root/$dir" "$root")
mkdir -p "$root/$dir/src" "$root/$dir/tests"
write() { [ -e "$root/$dir/$1" ] || cat > "$root/$dir/$1"; }
write project.json <<JSON
{
  "name": "$name",
  "\$schema": "$up/node_modules/nx/schemas/project-schema.json",
  "projectType": "$kind",
  "sourceRoot": "$dir/src",
  "tags": ["$tag"],
  "targets": { "lint": {}, "typecheck": {}, "test": {} }
}
JSON
write package.json <<JSON
{
  "name": "@bedrock-usage/$name",
  "version": "0.1.0",
  "private": true,
  "main": "src/index.ts"
}
JSON
write tsconfig.json <<JSON
{
  "extends": "$up/tsconfig.base.json",
  "compilerOptions": { "types": ["jest", "node"] },
  "include": ["src/**/*.ts", "tests/**/*.ts"]
}
JSON
write jest.config.cjs <<JS
module.exports = { ...require('$up/jest.preset.js'), displayName: '$name' };
JS
[ "$kind" = library ] && write src/index.ts <<<''
write README.md <<MD
# @bedrock-usage/$name ($tag)

## What

## Use

## Test it

\`npx nx test $name\`
MD
if [ "$kind" = library ]; then
  node -e '
    const fs = require("fs"); const [file, name, dir] = process.argv.slice(1);
    const cfg = JSON.parse(fs.readFileSync(file, "utf8"));
    cfg.compilerOptions.paths["@bedrock-usage/" + name] = ["./" + dir + "/src/index.ts"];
    fs.writeFileSync(file, JSON.stringify(cfg, null, 2) + "\n");
  ' "$root/tsconfig.base.json" "$name" "$dir"
fi
