import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

/** One choice of a picker. */
export interface PickItem {
  key: string;
  label: string;
  /** Said after the label, dimmed: a type, a volume, a description. */
  detail?: string;
  /** The whole text, for the tooltip of a line too narrow for it. */
  title?: string;
}

/** A text box that filters a picker's choices (the node search's query). */
export interface PickerQuery {
  value: string;
  onInput(value: string): void;
  placeholder: string;
  label: string;
}

/** How far a picker stays from the canvas's right and bottom edges. */
const PICKER_WIDTH = 340;
const PICKER_HEIGHT = 320;

/**
 * A list of choices floating on the canvas at a point, driven by the keyboard as well as the
 * mouse: arrows move, Enter picks, Escape (or a click elsewhere) closes. The node search and
 * the keyboard's port choices are both one.
 */
export function CanvasPicker(props: {
  at: { x: number; y: number };
  /** The canvas's size, to keep the picker inside it. */
  bounds: { width: number; height: number };
  heading: string;
  query?: PickerQuery;
  items: PickItem[];
  /** Said instead of an empty list. */
  empty: string;
  /** Lines above the list, such as what in a query could not be read. */
  problems?: string[];
  onPick(index: number): void;
  onClose(): void;
  testId: string;
  children?: ComponentChildren;
}) {
  const { items, onPick, onClose } = props;
  const [active, setActive] = useState(0);
  const box = useRef<HTMLDivElement>(null);
  const list = useRef<HTMLUListElement>(null);
  const itemKeys = items.map((i) => i.key).join('\u0000');
  useEffect(() => setActive(0), [itemKeys]);
  // Focused before the first paint, so that keys typed right after the opening key are not lost.
  useLayoutEffect(() => {
    const focusable = box.current?.querySelector<HTMLElement>('input, [tabindex]');
    focusable?.focus();
  }, []);
  useEffect(() => {
    list.current?.children[active]?.scrollIntoView({ block: 'nearest' });
  }, [active]);
  useEffect(() => {
    const outside = (e: PointerEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', outside, true);
    return () => document.removeEventListener('pointerdown', outside, true);
  }, [onClose]);

  const onKeyDown = (e: KeyboardEvent) => {
    // Keys typed here belong to the picker, not to the canvas's shortcuts around it.
    e.stopPropagation();
    if (e.key === 'ArrowDown') setActive((a) => Math.min(items.length - 1, a + 1));
    else if (e.key === 'ArrowUp') setActive((a) => Math.max(0, a - 1));
    else if (e.key === 'Enter' && items.length > 0) onPick(Math.min(active, items.length - 1));
    else if (e.key === 'Escape') onClose();
    else return;
    e.preventDefault();
  };
  const left = Math.max(0, Math.min(props.at.x, props.bounds.width - PICKER_WIDTH));
  const top = Math.max(0, Math.min(props.at.y, props.bounds.height - PICKER_HEIGHT));

  return (
    <div
      ref={box}
      class="canvas-picker nowheel nopan"
      style={{ left, top, width: PICKER_WIDTH }}
      role="dialog"
      aria-label={props.heading}
      data-testid={props.testId}
      onKeyDown={onKeyDown}
    >
      <div class="canvas-picker-heading">{props.heading}</div>
      {props.query ? (
        <input
          type="search"
          value={props.query.value}
          placeholder={props.query.placeholder}
          title={props.query.placeholder}
          aria-label={props.query.label}
          aria-controls={`${props.testId}-list`}
          aria-activedescendant={items.length > 0 ? `${props.testId}-option-${active}` : undefined}
          data-testid={`${props.testId}-input`}
          onInput={(e) => props.query?.onInput((e.target as HTMLInputElement).value)}
        />
      ) : (
        // Without a text box the list itself takes the keys.
        <span tabIndex={-1} class="visually-hidden">
          {props.heading}
        </span>
      )}
      {props.problems?.map((p) => (
        <p key={p} class="canvas-picker-problem" role="alert">
          {p}
        </p>
      ))}
      {props.children}
      <ul ref={list} id={`${props.testId}-list`} class="canvas-picker-list" role="listbox" aria-label={props.heading}>
        {items.map((item, i) => (
          <li
            key={item.key}
            id={`${props.testId}-option-${i}`}
            role="option"
            aria-selected={i === active}
            class={i === active ? 'active' : ''}
            title={item.title}
            data-testid={`${props.testId}-item`}
            data-key={item.key}
            onPointerEnter={() => setActive(i)}
            onClick={() => onPick(i)}
          >
            <span class="canvas-picker-label">{item.label}</span>
            {item.detail && <span class="canvas-picker-detail">{item.detail}</span>}
          </li>
        ))}
        {items.length === 0 && <li class="canvas-picker-empty">{props.empty}</li>}
      </ul>
    </div>
  );
}
