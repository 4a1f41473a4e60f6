/**
 * The ngspice skill conventions: a skill's `spice` code block is a netlist template whose `{{name}}`
 * placeholders are replaced by input values (numbers as written by `String`, strings verbatim, booleans
 * as 1 or 0), and each output names a simulation vector.
 */

const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** The distinct placeholder names of a netlist template, in order of first appearance. */
export function netlistPlaceholders(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (m) => m[1] ?? ''))];
}

function formatValue(name: string, value: unknown): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Netlist placeholder {{${name}}} is ${value}; give a finite number.`);
    return String(value);
  }
  if (typeof value === 'string') {
    if (/[\r\n]/.test(value)) {
      throw new Error(`Netlist placeholder {{${name}}} must be a single line; its value contains a line break.`);
    }
    return value;
  }
  if (typeof value === 'boolean') return value ? '1' : '0';
  throw new Error(
    `Netlist placeholder {{${name}}} needs a number or a string, got ${Array.isArray(value) ? 'an array' : typeof value}.`,
  );
}

/** Replaces every `{{name}}` in a netlist template by `inputs[name]`; throws naming any placeholder without a value. */
export function renderNetlist(template: string, inputs: Readonly<Record<string, unknown>>): string {
  const valueOf = (name: string): unknown => (Object.hasOwn(inputs, name) ? inputs[name] : undefined);
  const missing = netlistPlaceholders(template).filter((name) => valueOf(name) === undefined || valueOf(name) === null);
  if (missing.length > 0) {
    const plural = missing.length > 1;
    const placeholders = missing.map((name) => `{{${name}}}`).join(', ');
    const names = missing.map((name) => `"${name}"`).join(', ');
    throw new Error(
      `Netlist placeholder${plural ? 's' : ''} ${placeholders} ${plural ? 'have' : 'has'} no value: set input${plural ? 's' : ''} ${names}.`,
    );
  }
  return template.replace(PLACEHOLDER, (_, name: string) => formatValue(name, valueOf(name)));
}

/** The ngspice vector an output port reads: `v_out` → `v(out)`, `i_v1` → `i(v1)`, any other name lower-cased. */
export function vectorNameForOutput(name: string): string {
  const m = /^([vViI])_(.+)$/.exec(name);
  return m ? `${(m[1] ?? '').toLowerCase()}(${(m[2] ?? '').toLowerCase()})` : name.toLowerCase();
}
