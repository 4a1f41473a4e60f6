import { err, ok, type Result } from '../result';

/**
 * The small integer expressions a webgpu skill's `length`, `shape`, `dispatch` and `steps` are
 * written in: integers, `+ - * / %` (floor division), parentheses, `min`, `max`, `ceil_div`,
 * input names and `len(x)`. Read by a recursive descent parser, never by `eval`.
 */
export type GpuExpr =
  | { kind: 'number'; value: number }
  | { kind: 'name'; name: string }
  | { kind: 'len'; name: string }
  | { kind: 'negate'; operand: GpuExpr }
  | { kind: 'binary'; op: '+' | '-' | '*' | '/' | '%'; left: GpuExpr; right: GpuExpr }
  | { kind: 'call'; fn: 'min' | 'max' | 'ceil_div'; args: [GpuExpr, GpuExpr] };

/** What an expression may be written as in YAML: a bare integer or a string. */
export type GpuExprSource = string | number;

/** The rule expressions follow, as said in errors. */
export const GPU_EXPR_RULE = 'use integers, + - * / % (integer division), parentheses, min(a, b), max(a, b), ceil_div(a, b), names of number/integer inputs and len(x) of array inputs';

const TOKEN = /\s*(?:(\d+)|([A-Za-z_][A-Za-z0-9_]*)|([-+*/%(),]))/y;
const FUNCTIONS = ['min', 'max', 'ceil_div'] as const;

type Token = { kind: 'int'; value: number } | { kind: 'id'; name: string } | { kind: 'op'; op: string };

function tokenize(text: string): Result<Token[], string> {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(text);
    if (!m) return err(`cannot read "${text.slice(at).trim().slice(0, 20)}"`);
    if (m[1] !== undefined) tokens.push({ kind: 'int', value: Number(m[1]) });
    else if (m[2] !== undefined) tokens.push({ kind: 'id', name: m[2] });
    else tokens.push({ kind: 'op', op: m[3] ?? '' });
  }
  return ok(tokens);
}

class ExprReader {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  private peekOp(op: string): boolean {
    const t = this.tokens[this.at];
    return t?.kind === 'op' && t.op === op;
  }

  private expectOp(op: string): void {
    if (!this.peekOp(op)) throw new SyntaxError(`expected "${op}"${this.where()}`);
    this.at++;
  }

  private where(): string {
    const t = this.tokens[this.at];
    if (!t) return ' at the end';
    return ` before "${t.kind === 'int' ? t.value : t.kind === 'id' ? t.name : t.op}"`;
  }

  whole(): GpuExpr {
    const e = this.sum();
    if (this.at < this.tokens.length) throw new SyntaxError(`unexpected${this.where().replace(' before', '')}`);
    return e;
  }

  private sum(): GpuExpr {
    let left = this.product();
    while (this.peekOp('+') || this.peekOp('-')) {
      const op = (this.tokens[this.at++] as { op: '+' | '-' }).op;
      left = { kind: 'binary', op, left, right: this.product() };
    }
    return left;
  }

  private product(): GpuExpr {
    let left = this.unary();
    while (this.peekOp('*') || this.peekOp('/') || this.peekOp('%')) {
      const op = (this.tokens[this.at++] as { op: '*' | '/' | '%' }).op;
      left = { kind: 'binary', op, left, right: this.unary() };
    }
    return left;
  }

  private unary(): GpuExpr {
    if (this.peekOp('-')) {
      this.at++;
      return { kind: 'negate', operand: this.unary() };
    }
    return this.atom();
  }

  private atom(): GpuExpr {
    const t = this.tokens[this.at];
    if (!t) throw new SyntaxError('the expression ends too early');
    if (t.kind === 'int') {
      this.at++;
      return { kind: 'number', value: t.value };
    }
    if (t.kind === 'op') {
      if (t.op !== '(') throw new SyntaxError(`unexpected "${t.op}"`);
      this.at++;
      const inner = this.sum();
      this.expectOp(')');
      return inner;
    }
    this.at++;
    if (!this.peekOp('(')) return { kind: 'name', name: t.name };
    this.at++;
    if (t.name === 'len') {
      const arg = this.tokens[this.at];
      if (arg?.kind !== 'id') throw new SyntaxError('len(x) takes the name of an array input');
      this.at++;
      this.expectOp(')');
      return { kind: 'len', name: arg.name };
    }
    const fn = FUNCTIONS.find((f) => f === t.name);
    if (!fn) throw new SyntaxError(`unknown function "${t.name}"`);
    const a = this.sum();
    this.expectOp(',');
    const b = this.sum();
    this.expectOp(')');
    return { kind: 'call', fn, args: [a, b] };
  }
}

/** Parses an expression, or says what in it cannot be read. */
export function parseGpuExpr(source: GpuExprSource): Result<GpuExpr, string> {
  if (typeof source === 'number') {
    return Number.isSafeInteger(source) ? ok({ kind: 'number', value: source }) : err(`${source} is not an integer; ${GPU_EXPR_RULE}`);
  }
  const tokens = tokenize(source);
  if (!tokens.ok) return err(`${tokens.error}; ${GPU_EXPR_RULE}`);
  if (tokens.value.length === 0) return err(`the expression is empty; ${GPU_EXPR_RULE}`);
  try {
    return ok(new ExprReader(tokens.value).whole());
  } catch (e) {
    if (e instanceof SyntaxError) return err(`${e.message}; ${GPU_EXPR_RULE}`);
    throw e;
  }
}

/** The input names an expression reads, split by how: as values or through `len(x)`. */
export function gpuExprNames(expr: GpuExpr): { values: string[]; lengths: string[] } {
  const out = { values: [] as string[], lengths: [] as string[] };
  const visit = (e: GpuExpr): void => {
    if (e.kind === 'name') out.values.push(e.name);
    else if (e.kind === 'len') out.lengths.push(e.name);
    else if (e.kind === 'negate') visit(e.operand);
    else if (e.kind === 'binary') [e.left, e.right].forEach(visit);
    else if (e.kind === 'call') e.args.forEach(visit);
  };
  visit(expr);
  return out;
}

/** What an expression's names stand for when it is evaluated. */
export interface GpuExprScope {
  value(name: string): number | undefined;
  length(name: string): number | undefined;
}

/** Evaluates an expression over integers, or says why it has no value (a name unset, division by 0). */
export function evaluateGpuExpr(expr: GpuExpr, scope: GpuExprScope): Result<number, string> {
  try {
    return ok(evaluate(expr, scope));
  } catch (e) {
    if (e instanceof RangeError) return err(e.message);
    throw e;
  }
}

function evaluate(e: GpuExpr, scope: GpuExprScope): number {
  switch (e.kind) {
    case 'number':
      return e.value;
    case 'name': {
      const v = scope.value(e.name);
      if (v === undefined) throw new RangeError(`"${e.name}" has no value`);
      if (!Number.isFinite(v)) throw new RangeError(`"${e.name}" is ${v}, not a finite number`);
      return Math.trunc(v);
    }
    case 'len': {
      const v = scope.length(e.name);
      if (v === undefined) throw new RangeError(`len(${e.name}): "${e.name}" has no value`);
      return v;
    }
    case 'negate':
      return -evaluate(e.operand, scope);
    case 'call': {
      const [a, b] = e.args.map((x) => evaluate(x, scope)) as [number, number];
      if (e.fn === 'min') return Math.min(a, b);
      if (e.fn === 'max') return Math.max(a, b);
      if (b === 0) throw new RangeError('ceil_div by 0');
      return Math.ceil(a / b);
    }
    case 'binary': {
      const a = evaluate(e.left, scope);
      const b = evaluate(e.right, scope);
      if (e.op === '+') return a + b;
      if (e.op === '-') return a - b;
      if (e.op === '*') return a * b;
      if (b === 0) throw new RangeError(`${e.op === '/' ? 'division' : 'remainder'} by 0`);
      return e.op === '/' ? Math.floor(a / b) : a - b * Math.floor(a / b);
    }
  }
}
