/**
 * The repository contents API of FakeGithubApi: `GET /repos/{o}/{r}/contents/{path}?ref=`.
 * `ref` is a commit SHA or a branch, the default branch when absent. A file answers with its
 * content in base64 (lines of 60 characters, as GitHub sends it; over 1 MiB, GitHub's empty
 * content with encoding `none`), a directory (or the root, for an empty path) with the list of
 * its entries. A path that is neither, or a ref that names no commit, is a 404.
 */
import {
  type FakeAnswer,
  type FakeRepo,
  notFound,
  resolveCommit,
  treeEntries,
} from './fake-github-state.ts';

/** GitHub inlines no content for files larger than this. */
const maxInlineBytes = 1024 * 1024;

/** The answer to a contents request, or `undefined` when `rest` is another endpoint. */
export function routeContents(
  repo: FakeRepo,
  method: string,
  rest: readonly string[],
  query: URLSearchParams,
): FakeAnswer | undefined {
  if (method !== 'GET' || rest[0] !== 'contents') return undefined;
  const path = rest.slice(1).join('/');
  const ref = query.get('ref') ?? repo.defaultBranch;
  const sha = resolveCommit(repo, ref);
  const tree = sha ? repo.commits.get(sha) : undefined;
  if (!sha || !tree) return notFound();
  const entries = treeEntries(sha, tree);
  const entry = entries.find((e) => e.path === path);
  if (entry?.type === 'blob') {
    const content = repo.blobs.get(entry.sha);
    if (content === undefined) return [500, { message: `no content kept for blob ${entry.sha}` }];
    return [200, fileJson(repo, ref, path, entry.sha, content)];
  }
  const prefix = path === '' ? '' : `${path}/`;
  const children = entries.filter(
    (e) => e.path.startsWith(prefix) && !e.path.slice(prefix.length).includes('/'),
  );
  if (path === '' || entry?.type === 'tree') {
    return [
      200,
      children.map((c) => ({
        type: c.type === 'tree' ? 'dir' : 'file',
        name: c.path.slice(prefix.length),
        path: c.path,
        sha: c.sha,
      })),
    ];
  }
  return notFound('https://docs.github.com/rest/repos/contents');
}

/** The contents API's shape for a file. */
function fileJson(repo: FakeRepo, ref: string, path: string, sha: string, content: string) {
  const size = Buffer.byteLength(content);
  const inline = size <= maxInlineBytes;
  const base64 = inline ? Buffer.from(content, 'utf8').toString('base64') : '';
  return {
    type: 'file',
    encoding: inline ? 'base64' : 'none',
    size,
    name: path.slice(path.lastIndexOf('/') + 1),
    path,
    sha,
    content: inline ? (base64.match(/.{1,60}/g) ?? []).join('\n') + '\n' : '',
    html_url: `https://github.com/${repo.owner}/${repo.name}/blob/${ref}/${path}`,
  };
}
