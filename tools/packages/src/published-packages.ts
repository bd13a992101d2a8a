import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

/** The repository root (tools/packages/src → ../../..). */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * The libraries agent teams install, by project name (libs/<name>): nx.json's `release.projects`, the one list (nx
 * release versions them; this builds and publishes them). The rest (di, agents, agent-runtime, stand-ins, testing …)
 * stay private: this repo's apps' wiring and test parts.
 */
export const PUBLISHED_PACKAGES: readonly string[] = (JSON.parse(readFileSync(join(REPO_ROOT, 'nx.json'), 'utf8')) as { release: { projects: string[] } }).release.projects;

/**
 * Files generated from a package's built code and shipped with it (and in its exports map): the usage event's JSON
 * Schema, for agents in other languages, from the one definition in core.
 */
const GENERATED_FILES: Readonly<Record<string, { readonly file: string; readonly export: string }>> = {
  core: { file: 'usage-event.schema.json', export: 'USAGE_EVENT_JSON_SCHEMA' },
};

/** What teams expect to bring themselves: the AWS SDK clients are peers (one copy, their version). */
const PEER_SCOPES = ['@aws-sdk/'];
const SCOPE = '@bedrock-usage/';

/** One built package: where it is and its manifest. */
export interface BuiltPackage {
  readonly name: string;
  readonly dir: string;
  readonly manifest: PackageManifest;
}

/** The published package.json. */
export interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly description: string;
  readonly license: string;
  readonly main: string;
  readonly types: string;
  readonly exports: Record<string, unknown>;
  readonly files: readonly string[];
  readonly engines: Record<string, string>;
  readonly dependencies: Record<string, string>;
  readonly peerDependencies: Record<string, string>;
}

interface LibManifest {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
}

/**
 * The packages imported by a library's production sources (`src/**`, not tests): `@scope/name` or `name`, Node's
 * built-ins left out.
 *
 * @example
 * importedPackages('libs/recorder/src'); // ['@bedrock-usage/core', 'p-queue']
 */
export function importedPackages(sourceDir: string): string[] {
  const found = new Set<string>();
  for (const file of filesUnder(sourceDir).filter((path) => path.endsWith('.ts'))) {
    // import/export statements (their braces hold no quotes), `import 'x'`, and require('x').
    for (const [, fromStatement, required] of readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\s(?:[^;'"]*?\sfrom\s*)?'([^']+)'|\brequire\('([^']+)'\)/g)) {
      const specifier = fromStatement ?? required;
      if (specifier === undefined || specifier.startsWith('.') || specifier.startsWith('node:')) continue;
      const parts = specifier.split('/');
      found.add(specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] as string));
    }
  }
  return [...found].sort();
}

/**
 * Builds every published library into `outDir/<name>/` in dependency order: `tsc` with declarations (a library's
 * imports of another are resolved to that one's built `.d.ts`, so the output imports package names only — no path
 * aliases, no `src/`), its README, and a package.json with an `exports` map, `dependencies` (the other packages at
 * their version, third-party ones at the workspace's pinned version) and `peerDependencies` (the AWS SDK clients).
 *
 * @example
 * const built = buildPackages('dist/packages');
 */
export function buildPackages(outDir: string): BuiltPackage[] {
  const root = REPO_ROOT;
  const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
  const pinned = { ...rootManifest.devDependencies, ...rootManifest.dependencies };
  const libs = new Map(PUBLISHED_PACKAGES.map((name) => [name, JSON.parse(readFileSync(join(root, 'libs', name, 'package.json'), 'utf8')) as LibManifest]));
  const imports = new Map(PUBLISHED_PACKAGES.map((name) => [name, importedPackages(join(root, 'libs', name, 'src'))]));
  rmSync(outDir, { recursive: true, force: true });
  const built: BuiltPackage[] = [];
  for (const name of buildOrder(imports)) {
    const lib = libs.get(name) as LibManifest;
    const dir = join(outDir, name);
    const internal = (imports.get(name) ?? []).filter((specifier) => specifier.startsWith(SCOPE));
    const unpublished = internal.filter((specifier) => !libs.has(specifier.slice(SCOPE.length)));
    if (unpublished.length > 0) throw new Error(`${lib.name} imports ${unpublished.join(', ')}, which is not published — publish it too or drop the import`);
    const tsconfig = join(outDir, '.tsconfig', `${name}.json`);
    mkdirSync(dirname(tsconfig), { recursive: true });
    writeFileSync(
      tsconfig,
      JSON.stringify({
        extends: join(root, 'tsconfig.base.json'),
        compilerOptions: {
          rootDir: join(root, 'libs', name, 'src'),
          outDir: dir,
          noEmit: false,
          declaration: true,
          sourceMap: true,
          types: ['node'],
          typeRoots: [join(root, 'node_modules', '@types')],
          paths: Object.fromEntries(internal.map((specifier) => [specifier, [join(outDir, specifier.slice(SCOPE.length), 'index.d.ts')]])),
        },
        include: [join(root, 'libs', name, 'src', '**', '*.ts')],
      }),
    );
    try {
      execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig], { cwd: root, stdio: 'pipe' });
    } catch (error) {
      throw new Error(`building ${lib.name} failed:\n${String((error as { stdout?: Buffer }).stdout ?? error)}`, { cause: error });
    }
    const generated = GENERATED_FILES[name];
    if (generated) {
      const built = (createRequire(__filename)(join(dir, 'index.js')) as Record<string, unknown>)[generated.export];
      if (built === undefined) throw new Error(`${lib.name} does not export ${generated.export}, which ${generated.file} is generated from`);
      writeFileSync(join(dir, generated.file), `${JSON.stringify(built, null, 2)}\n`);
    }
    const dependencies: Record<string, string> = {};
    const peerDependencies: Record<string, string> = {};
    for (const specifier of imports.get(name) ?? []) {
      if (specifier.startsWith(SCOPE)) dependencies[specifier] = (libs.get(specifier.slice(SCOPE.length)) as LibManifest).version;
      else if (PEER_SCOPES.some((scope) => specifier.startsWith(scope))) peerDependencies[specifier] = `^${versionOf(pinned, specifier, lib.name)}`;
      else dependencies[specifier] = versionOf(pinned, specifier, lib.name);
    }
    const manifest: PackageManifest = {
      name: lib.name,
      version: lib.version,
      description: lib.description ?? `bedrock-usage: ${name}`,
      license: 'MIT',
      main: 'index.js',
      types: 'index.d.ts',
      exports: { '.': { types: './index.d.ts', default: './index.js' }, './package.json': './package.json', ...(generated ? { [`./${generated.file}`]: `./${generated.file}` } : {}) },
      files: ['**/*.js', '**/*.d.ts', '**/*.js.map', '**/*.json', 'README.md'],
      engines: { node: '>=20.19' },
      dependencies,
      peerDependencies,
    };
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    copyFileSync(join(root, 'libs', name, 'README.md'), join(dir, 'README.md'));
    built.push({ name: lib.name, dir, manifest });
  }
  rmSync(join(outDir, '.tsconfig'), { recursive: true, force: true });
  return built;
}

function versionOf(pinned: Record<string, string>, specifier: string, importer: string): string {
  const version = pinned[specifier];
  if (version === undefined) throw new Error(`${importer} imports ${specifier}, which the workspace's package.json does not pin — add it there`);
  return version;
}

/** The published libraries, each after the ones it imports (a cycle is a bug: it throws). */
function buildOrder(imports: ReadonlyMap<string, readonly string[]>): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string): void => {
    if (order.includes(name)) return;
    if (visiting.has(name)) throw new Error(`published packages import each other in a cycle through ${name}`);
    visiting.add(name);
    for (const specifier of imports.get(name) ?? []) if (specifier.startsWith(SCOPE) && imports.has(specifier.slice(SCOPE.length))) visit(specifier.slice(SCOPE.length));
    visiting.delete(name);
    order.push(name);
  };
  for (const name of imports.keys()) visit(name);
  return order;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** A path for messages: relative to the repo when inside it. */
export function shown(path: string): string {
  const inside = relative(REPO_ROOT, path);
  return inside.startsWith('..') ? path : inside;
}

/**
 * Publishes built packages, in build order, to the registry of `npmrc` (an npm userconfig with its URL and token).
 *
 * @example
 * publishPackages(buildPackages(outDir), registry.npmrc);
 */
export function publishPackages(built: readonly BuiltPackage[], npmrc: string): void {
  for (const { dir, name } of built) {
    try {
      execFileSync('npm', ['publish', dir, '--userconfig', npmrc, '--access', 'public'], { cwd: dir, stdio: 'pipe' });
    } catch (error) {
      throw new Error(`publishing ${name} failed:\n${String((error as { stderr?: Buffer }).stderr ?? error)}`, { cause: error });
    }
  }
}
