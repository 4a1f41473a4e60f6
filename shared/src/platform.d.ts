// The few globals that browsers and Node both provide and shared/ may use. shared/ compiles
// with neither DOM nor Node types, so these are declared here, narrowly; the other folders'
// tsconfigs do not include this file and use their platform's own declarations.
declare global {
  interface AbortSignal {
    readonly aborted: boolean;
    readonly reason: unknown;
    addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
    removeEventListener(type: 'abort', listener: () => void): void;
  }
  interface AbortController {
    readonly signal: AbortSignal;
    abort(reason?: unknown): void;
  }
  var AbortController: { new (): AbortController };
  function setTimeout(handler: () => void, ms?: number): unknown;
  function clearTimeout(id: unknown): void;
  interface TextEncoder {
    encode(input?: string): Uint8Array;
  }
  var TextEncoder: { new (): TextEncoder };
  interface TextDecoder {
    decode(input?: Uint8Array): string;
  }
  var TextDecoder: { new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder };
}

export {};
