/**
 * The status a reconciler records travels in a check run's `output.text` as JSON, inside a
 * ```json fence so it reads well on the pull request's Checks tab. Parsing also accepts bare JSON.
 */
import { InvalidArgumentError } from '@recon/core';

/** GitHub's limit on `output.text`. */
export const maxCheckRunTextChars = 65_535;

const fence = /```json\n([\s\S]*?)\n```/;

/** Status → `output.text`; InvalidArgumentError (field `status`) when it cannot be stored. */
export function encodeCheckRunStatus(status: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(status, null, 2);
  } catch (err) {
    throw new InvalidArgumentError('status', `is not serialisable as JSON (${String(err)})`);
  }
  if (json === undefined) throw new InvalidArgumentError('status', 'is not serialisable as JSON');
  const text = '```json\n' + json + '\n```';
  if (text.length > maxCheckRunTextChars) {
    throw new InvalidArgumentError(
      'status',
      `is ${text.length} characters as JSON; a check run holds at most ${maxCheckRunTextChars}`,
    );
  }
  return text;
}

/** `output.text` → status; `undefined` when the text is missing or holds no JSON. */
export function decodeCheckRunStatus<S>(text: string | null | undefined): S | undefined {
  if (!text) return undefined;
  const body = fence.exec(text)?.[1] ?? text;
  try {
    return JSON.parse(body) as S;
  } catch {
    return undefined;
  }
}
