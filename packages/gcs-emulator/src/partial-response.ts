// The `fields` query parameter (partial response): a JSON answer keeps only the selected fields.
// Grammar as Google's JSON APIs take it: a comma-separated list of selections; `a/b` selects `b`
// inside `a`; `a(b,c)` selects `b` and `c` inside `a` (inside an array, in each element); `*`
// selects every field at its level. `items(name,metadata),nextPageToken` is what a queue's
// listing sends: the client then parses a fraction of the page.

import { badRequest } from './errors.ts';

/** Selected names at one level; `true` keeps the whole value. */
export interface FieldMask {
  readonly [name: string]: FieldMask | true;
}

/** Parses a `fields` value; a malformed one is a 400 naming the parameter, as GCS answers. */
export function parseFieldMask(fields: string): FieldMask {
  const parser = new MaskParser(fields);
  const mask = parser.selections();
  parser.expectEnd();
  return mask;
}

/** Keeps the selected parts of a JSON value; arrays are projected element by element. */
export function applyFieldMask(value: unknown, mask: FieldMask): unknown {
  if (Array.isArray(value)) return value.map((v) => applyFieldMask(v, mask));
  if (typeof value !== 'object' || value === null) return value;
  const source = value as Record<string, unknown>;
  const wildcard = mask['*'];
  const out: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(source)) {
    const selected = Object.hasOwn(mask, name) ? mask[name] : wildcard;
    if (selected === undefined) continue;
    out[name] = selected === true ? child : applyFieldMask(child, selected);
  }
  return out;
}

class MaskParser {
  readonly #text: string;
  #at = 0;

  constructor(text: string) {
    this.#text = text;
  }

  /** selection (',' selection)* — merged into one mask. */
  selections(): FieldMask {
    const mask: Record<string, FieldMask | true> = {};
    do {
      merge(mask, this.#selection());
    } while (this.#take(','));
    return mask;
  }

  expectEnd(): void {
    if (this.#at < this.#text.length) this.#fail(`unexpected '${this.#text[this.#at]}'`);
  }

  /** name ('/' selection | '(' selections ')')? */
  #selection(): FieldMask {
    const name = this.#name();
    if (this.#take('/')) return { [name]: this.#selection() };
    if (this.#take('(')) {
      const inner = this.selections();
      if (!this.#take(')')) this.#fail("missing ')'");
      return { [name]: inner };
    }
    return { [name]: true };
  }

  #name(): string {
    const match = /^(?:\*|[A-Za-z0-9_-]+)/.exec(this.#text.slice(this.#at));
    if (!match) this.#fail('expected a field name');
    this.#at += match[0].length;
    return match[0];
  }

  #take(char: string): boolean {
    if (this.#text[this.#at] !== char) return false;
    this.#at++;
    return true;
  }

  #fail(what: string): never {
    throw badRequest(
      `Invalid field selection ${JSON.stringify(this.#text)}: ${what} at ${this.#at}`,
    );
  }
}

function merge(into: Record<string, FieldMask | true>, mask: FieldMask): void {
  for (const [name, selected] of Object.entries(mask)) {
    const existing = into[name];
    if (existing === true || selected === true || existing === undefined) {
      into[name] = existing === true || selected === true ? true : selected;
    } else {
      const combined: Record<string, FieldMask | true> = { ...existing };
      merge(combined, selected);
      into[name] = combined;
    }
  }
}
