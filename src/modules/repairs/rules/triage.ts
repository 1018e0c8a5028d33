// Walking the triage tree: the question at a path, what a path leads to, and the path in words for "check your
// answers". A path is the list of option values chosen from the root (["bathroom", "damp-or-mould", "condensation"]),
// as the resident's journey posts them; anything not in the tree is an unknown step, never a guess.
import { isExit, isLeaf, isNode, MAX_TREE_DEPTH, type TriageExit, type TriageLeaf, type TriageNode, type TriageOption, type TriageTree } from './settings.ts';

/** The separator between the labels of a path ("Bathroom › Damp or mould › Condensation on windows or walls"). */
export const PATH_SEPARATOR = ' › ';

export type Resolved =
  | { kind: 'node'; node: TriageTree | TriageNode }
  | { kind: 'leaf'; leaf: TriageLeaf }
  | { kind: 'exit'; exit: TriageExit }
  | { kind: 'unknown'; at: number };

/**
 * What a path leads to: the question still to answer (the root for []), a repair, an exit, or the index of the first
 * step that is not an option there (a value that does not exist, a step after a repair or an exit, a path too long).
 */
export function resolve(tree: TriageTree, path: readonly string[]): Resolved {
  if (path.length > MAX_TREE_DEPTH) return { kind: 'unknown', at: MAX_TREE_DEPTH };
  let here: TriageTree | TriageNode = tree;
  for (let i = 0; i < path.length; i++) {
    const option: TriageOption | undefined = here.options.find((o) => o.value === path[i]);
    if (!option) return { kind: 'unknown', at: i };
    if (isNode(option)) { here = option; continue; }
    if (i !== path.length - 1) return { kind: 'unknown', at: i + 1 };
    if (isLeaf(option)) return { kind: 'leaf', leaf: option };
    if (isExit(option)) return { kind: 'exit', exit: option };
  }
  return { kind: 'node', node: here };
}

export type OptionsAt =
  | { ok: true; question: string; hint?: string; options: TriageOption[] }
  | { ok: false; at: number; message: string };

/** The question to ask after `path`, and its options; or which step is wrong, in words. */
export function optionsAt(tree: TriageTree, path: readonly string[]): OptionsAt {
  const r = resolve(tree, path);
  if (r.kind === 'node') {
    const n = r.node;
    const question = n.question ?? ('label' in n ? `What best describes the problem with ${n.label.toLowerCase()}?` : 'Where is the problem?');
    return { ok: true, question, ...(n.hint ? { hint: n.hint } : {}), options: n.options };
  }
  if (r.kind === 'unknown') {
    const message = r.at >= MAX_TREE_DEPTH
      ? `The answers go deeper than the questions (at most ${MAX_TREE_DEPTH})`
      : `Step ${r.at + 1} (${JSON.stringify(path[r.at])}) is not one of the options${r.at > 0 ? ` after ${JSON.stringify(path[r.at - 1])}` : ''}`;
    return { ok: false, at: r.at, message };
  }
  return { ok: false, at: path.length - 1, message: `Step ${path.length} (${JSON.stringify(path[path.length - 1])}) is an answer, with no more questions after it` };
}

/** The labels of the options a path chose, or null if a step is unknown. */
export function pathLabels(tree: TriageTree, path: readonly string[]): string[] | null {
  if (resolve(tree, path).kind === 'unknown') return null;
  const labels: string[] = [];
  let options = tree.options;
  for (const value of path) {
    const option = options.find((o) => o.value === value)!;
    labels.push(option.label);
    options = isNode(option) ? option.options : [];
  }
  return labels;
}

/** A path in words for "check your answers": "Bathroom › Damp or mould › Mould on walls or ceiling"; null if unknown. */
export function describePath(tree: TriageTree, path: readonly string[]): string | null {
  return pathLabels(tree, path)?.join(PATH_SEPARATOR) ?? null;
}
