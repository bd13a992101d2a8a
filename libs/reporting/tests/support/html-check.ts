import { parse, type DefaultTreeAdapterMap } from 'parse5';

type Node = DefaultTreeAdapterMap['node'];
export type Element = DefaultTreeAdapterMap['element'];

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);

/**
 * Problems that make `markup` not valid HTML: parse5's spec parse errors (tokenizer errors, a missing doctype,
 * duplicate attributes, bad character references), plus a strict tag check the HTML parser forgives: every
 * non-void element closed in order, `/>` only inside SVG.
 */
export function htmlProblems(markup: string): string[] {
  const problems: string[] = [];
  parse(markup, { onParseError: (error) => problems.push(`${error.code} at line ${error.startLine} col ${error.startCol}`) });
  const stack: string[] = [];
  // Entities are not decoded inside <style>: an escaped rule is a dropped rule.
  for (const [, css = ''] of markup.matchAll(/<style>([\s\S]*?)<\/style>/g)) if (/&(?:quot|gt|lt|amp|#39);/.test(css)) problems.push('<style> holds HTML-escaped CSS (browsers drop those rules)');
  const body = markup.replace(/<style>[\s\S]*?<\/style>/g, '<style></style>').replace(/<!--[\s\S]*?-->/g, '');
  for (const match of body.matchAll(/<(\/?)([a-zA-Z][\w-]*)((?:\s+[^\s=/>]+(?:="[^"]*")?)*)\s*(\/?)>/g)) {
    const [, closing, rawName = '', , selfClosing] = match;
    const name = rawName.toLowerCase();
    const inSvg = stack.includes('svg');
    if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open ?? 'nothing'}> at offset ${match.index}`);
    } else if (selfClosing) {
      if (!inSvg && name !== 'svg' && !VOID.has(name)) problems.push(`<${name}/> self-closes outside SVG at offset ${match.index}`);
    } else if (!VOID.has(name)) stack.push(name);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(' > ')}`);
  if (!/^<!DOCTYPE html>/i.test(markup)) problems.push('no <!DOCTYPE html> first');
  return problems;
}

/** The parsed document. */
export function parseHtml(markup: string): Node {
  return parse(markup);
}

/** Every element below `node` matching `test`, in document order. */
export function findAll(node: Node, test: (element: Element) => boolean): Element[] {
  const out: Element[] = [];
  const visit = (n: Node): void => {
    if ('tagName' in n && test(n)) out.push(n);
    const children = 'childNodes' in n ? n.childNodes : [];
    for (const child of children) visit(child as Node);
    if ('content' in n && n.content) visit(n.content as Node);
  };
  visit(node);
  return out;
}

/** An attribute's (decoded) value. */
export function attr(element: Element, name: string): string | undefined {
  return element.attrs.find((a) => a.name === name)?.value;
}

/** The text content of an element (decoded). */
export function textOf(node: Node): string {
  if (node.nodeName === '#text') return (node as DefaultTreeAdapterMap['textNode']).value;
  return ('childNodes' in node ? node.childNodes : []).map((child) => textOf(child as Node)).join('');
}

/** The marks of one chart: `.mark` elements inside `svg[data-chart=name]`. */
export function marksOf(document: Node, chart: string): Element[] {
  const [svg] = findAll(document, (e) => e.tagName === 'svg' && attr(e, 'data-chart') === chart);
  if (!svg) throw new Error(`no chart ${chart}`);
  return findAll(svg, (e) => (attr(e, 'class') ?? '').split(' ').includes('mark'));
}
