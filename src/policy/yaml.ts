/**
 * Reading YAML with positions: every value a pack or config file holds can be traced back to its
 * file, line and column, so every validation error points at the offending text.
 */
import type { Node, Pair, Scalar, YAMLMap, YAMLSeq } from "yaml";
import { yaml } from "../lazy.js";
import { ConfigError } from "../errors.js";
import { closest } from "../text/nlp.js";
import type { SourceLocation } from "../types.js";

// Type guards that load the yaml library only when a pack or configuration is really parsed.
export const isMap = (node: unknown): node is YAMLMap<unknown, unknown> => yaml().isMap(node);
export const isSeq = (node: unknown): node is YAMLSeq<unknown> => yaml().isSeq(node);
export const isScalar = (node: unknown): node is Scalar<unknown> => yaml().isScalar(node);

export class YamlFile {
  readonly root: Node | null;
  private readonly lines = new (yaml().LineCounter)();

  constructor(readonly file: string, text: string) {
    const doc = yaml().parseDocument(text, { lineCounter: this.lines, prettyErrors: false, uniqueKeys: true });
    const err = doc.errors[0];
    if (err) {
      const pos = this.lines.linePos(err.pos[0]);
      const what = err.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? "invalid YAML";
      throw new ConfigError(`invalid YAML: ${what}`, { file, line: pos.line, column: pos.col }, "fix the YAML syntax");
    }
    // Anchors and aliases (`&disclosure` ... `*disclosure`) let a pack write a condition or a
    // pattern once for several rules: each alias is replaced by the node it names, so everything
    // below reads plain nodes and errors point at the anchored text.
    yaml().visit(doc, {
      Alias: (_, alias) => (alias.resolve(doc) as Node | undefined) ?? this.fail(alias, `unknown alias "*${alias.source}"`, `define it first with &${alias.source}`),
    });
    this.root = doc.contents as Node | null;
  }

  at(node: Node | Pair | null | undefined): SourceLocation {
    const range = node && "range" in node ? node.range : node && "key" in node && isScalar(node.key) ? node.key.range : undefined;
    const pos = this.lines.linePos(range?.[0] ?? 0);
    return { file: this.file, line: pos.line, column: pos.col };
  }

  fail(node: Node | Pair | null | undefined, message: string, hint?: string): never {
    throw new ConfigError(message, this.at(node), hint);
  }

  /** The map at `node`, with its keys checked against `allowed`. */
  map(node: Node | null | undefined, what: string, allowed?: readonly string[]): YAMLMap<unknown, unknown> {
    if (!isMap(node)) this.fail(node, `${what} must be a mapping (key: value)`);
    if (allowed) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : "";
        if (!allowed.includes(key)) {
          const guess = closest(key, allowed);
          this.fail(
            pair.key as Node,
            `unknown key "${key}" in ${what}`,
            guess ? `did you mean "${guess}"?` : `valid keys: ${allowed.join(", ")}`,
          );
        }
      }
    }
    return node;
  }

  get(map: YAMLMap<unknown, unknown>, key: string): Node | undefined {
    return map.get(key, true) as Node | undefined;
  }

  /** The node of entry `index` of the list at `key` (the list itself when it is a single value). */
  item(map: YAMLMap<unknown, unknown>, key: string, index: number): Node | undefined {
    const node = this.get(map, key);
    return isSeq(node) ? ((node.items[index] as Node | undefined) ?? node) : node;
  }

  keyNode(map: YAMLMap<unknown, unknown>, key: string): Node | undefined {
    const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
    return pair?.key as Node | undefined;
  }

  string(map: YAMLMap<unknown, unknown>, key: string, what: string, required: true): string;
  string(map: YAMLMap<unknown, unknown>, key: string, what: string, required?: false): string | undefined;
  string(map: YAMLMap<unknown, unknown>, key: string, what: string, required = false): string | undefined {
    const node = this.get(map, key);
    if (node === undefined || (isScalar(node) && node.value === null)) {
      if (required) this.fail(map, `${what} is missing the required key "${key}"`, `add ${key}: ...`);
      return undefined;
    }
    if (!isScalar(node) || typeof node.value !== "string" && typeof node.value !== "number") {
      this.fail(node, `"${key}" in ${what} must be a string`);
    }
    const value = String(node.value);
    if (required && value.trim() === "") this.fail(node, `"${key}" in ${what} must not be empty`);
    return value;
  }

  boolean(map: YAMLMap<unknown, unknown>, key: string, what: string): boolean | undefined {
    const node = this.get(map, key);
    if (node === undefined) return undefined;
    if (!isScalar(node) || typeof node.value !== "boolean") this.fail(node, `"${key}" in ${what} must be true or false`);
    return node.value;
  }

  number(map: YAMLMap<unknown, unknown>, key: string, what: string): number | undefined {
    const node = this.get(map, key);
    if (node === undefined) return undefined;
    if (!isScalar(node) || typeof node.value !== "number") this.fail(node, `"${key}" in ${what} must be a number`);
    return node.value;
  }

  /** A list of strings; a single string is accepted as a list of one. */
  strings(map: YAMLMap<unknown, unknown>, key: string, what: string): string[] | undefined {
    const node = this.get(map, key);
    if (node === undefined) return undefined;
    if (isScalar(node) && typeof node.value === "string") return [node.value];
    if (!isSeq(node)) this.fail(node, `"${key}" in ${what} must be a list of strings`);
    return node.items.map((item) => {
      if (!isScalar(item) || (typeof item.value !== "string" && typeof item.value !== "number")) {
        this.fail(item as Node, `every entry of "${key}" in ${what} must be a string`);
      }
      return String(item.value);
    });
  }

  oneOf<T extends string>(map: YAMLMap<unknown, unknown>, key: string, what: string, choices: readonly T[], required: true): T;
  oneOf<T extends string>(map: YAMLMap<unknown, unknown>, key: string, what: string, choices: readonly T[], required?: false): T | undefined;
  oneOf<T extends string>(map: YAMLMap<unknown, unknown>, key: string, what: string, choices: readonly T[], required = false): T | undefined {
    const value = required ? this.string(map, key, what, true) : this.string(map, key, what);
    if (value === undefined) return undefined;
    if (!(choices as readonly string[]).includes(value)) {
      const guess = closest(value, choices);
      this.fail(this.get(map, key), `"${key}" in ${what} must be one of ${choices.join(", ")}, not "${value}"`, guess ? `did you mean "${guess}"?` : undefined);
    }
    return value as T;
  }
}
