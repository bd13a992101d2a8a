/**
 * Candidate price-book keys for a resolved model, best first: the id itself, then the id without its
 * trailing `:N` version (Titan ids such as `amazon.titan-text-lite-v1` have none, but their
 * provisioned variants are called `amazon.titan-text-lite-v1:0:4k`).
 */
export function modelKeyCandidates(model: string): readonly string[] {
  const withoutVersion = model.replace(/:\d+$/, '');
  return withoutVersion === model ? [model] : [model, withoutVersion];
}
