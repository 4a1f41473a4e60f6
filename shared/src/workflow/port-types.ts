import type { PortType } from '../skill/ports';

/** Whether an output of type `from` may feed an input of type `to`. */
export function portTypesCompatible(from: PortType, to: PortType): boolean {
  return from === to || from === 'any' || to === 'any' || (from === 'integer' && to === 'number');
}
