/**
 * Lists every function, method, arrow function and callback in src/ longer than a limit (default 60 lines),
 * nested ones counted on their own; exits 1 when there is any, so `npm run lint` keeps the codebase to short
 * functions. Usage: `npx tsx scripts/long-functions.ts [--max 60] [--list]` (`--list` prints without failing).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const args = process.argv.slice(2);
const maxAt = args.indexOf('--max');
const max = maxAt >= 0 ? Number(args[maxAt + 1]) : 60;
if (!Number.isInteger(max) || max < 1) {
  console.error(`--max expects a positive integer; received ${args[maxAt + 1]}`);
  process.exit(2);
}
const root = join(import.meta.dirname, '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(ts|mts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** A readable name for a function node: its own name, its variable's, its property's, or the call it is passed to. */
function nameOf(node: ts.Node, source: ts.SourceFile): string {
  const named = node as ts.FunctionLikeDeclaration;
  if (named.name) return named.name.getText(source);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    return parent.name.getText(source);
  }
  if (ts.isCallExpression(parent)) {
    const callee = parent.expression.getText(source).split('\n')[0];
    return `callback of ${callee.length > 40 ? `…${callee.slice(-40)}` : callee}`;
  }
  return '(anonymous)';
}

interface Long {
  file: string;
  line: number;
  name: string;
  lines: number;
}

const found: Long[] = [];
for (const path of files(join(root, 'src'))) {
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node) => {
    if (ts.isFunctionLike(node) && (node as ts.FunctionLikeDeclaration).body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const lines = end - start + 1;
      if (lines > max) found.push({ file: relative(root, path), line: start + 1, name: nameOf(node, source), lines });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

found.sort((a, b) => b.lines - a.lines);
for (const f of found) console.log(`${String(f.lines).padStart(4)}  ${f.file}:${f.line}  ${f.name}`);
console.log(`${found.length} function(s) in src/ over ${max} lines`);
if (found.length > 0 && !args.includes('--list')) process.exit(1);
