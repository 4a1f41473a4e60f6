/*
 * The assistant's tools (shared/src/chat/tools.ts): one definition that the server offers the model
 * and the PWA reads each call against, so a call the model makes from the schema it was shown is
 * the call the PWA carries out, and a call that does not fit is answered with what is wrong.
 */
import { describe, expect, it } from 'vitest';
import { CHAT_TOOL_DEFINITIONS, isServerTool, readToolCall } from '../src/chat/tools';

describe('chat tool definitions', () => {
  it('offers the nine tools, each requiring only properties it declares', () => {
    expect(CHAT_TOOL_DEFINITIONS.map((t) => t.name)).toEqual(['add_node', 'connect_ports', 'set_input', 'run_workflow', 'save_skill', 'make_compound_skill', 'read_skill', 'read_skill_file', 'list_skill_suggestions']);
    for (const tool of CHAT_TOOL_DEFINITIONS) {
      expect(tool.input_schema.type).toBe('object');
      expect(tool.description.length).toBeGreaterThan(0);
      for (const key of tool.input_schema.required) expect(Object.keys(tool.input_schema.properties), `${tool.name}.${key}`).toContain(key);
    }
  });
});

describe('readToolCall', () => {
  it('accepts a call that fits its schema, as the typed call', () => {
    expect(readToolCall('add_node', { skill_id: 'quantum-vqe', x: 10, inputs: { max_iterations: 100 } })).toEqual({
      ok: true,
      value: { name: 'add_node', input: { skill_id: 'quantum-vqe', x: 10, inputs: { max_iterations: 100 } } },
    });
    expect(readToolCall('run_workflow', {})).toEqual({ ok: true, value: { name: 'run_workflow', input: {} } });
    // set_input's value is any JSON, null and arrays included.
    expect(readToolCall('set_input', { node_id: 'n', input: 'x', value: null }).ok).toBe(true);
    expect(readToolCall('set_input', { node_id: 'n', input: 'x', value: [1, 2] }).ok).toBe(true);
  });

  it('refuses an unknown tool, naming the tools there are', () => {
    expect(readToolCall('delete_everything', {})).toEqual({
      ok: false,
      error: 'Unknown tool "delete_everything". The tools are: add_node, connect_ports, set_input, run_workflow, save_skill, make_compound_skill, read_skill, read_skill_file, list_skill_suggestions.',
    });
    // Names inherited by every object are not tools either.
    expect(readToolCall('toString', {}).ok).toBe(false);
  });

  it('says which required properties are missing and which have the wrong type', () => {
    expect(readToolCall('connect_ports', { source_node: 'a', output: 7 })).toEqual({
      ok: false,
      error: 'connect_ports: "target_node" is required; "input" is required; "output" must be a string.',
    });
    expect(readToolCall('add_node', { skill_id: 'x', x: '12', inputs: [] })).toEqual({ ok: false, error: 'add_node: "x" must be a number; "inputs" must be an object.' });
    expect(readToolCall('save_skill', { name: 'n', type: 'cobol', code: '' })).toEqual({
      ok: false,
      error: 'save_skill: "type" must be one of python, javascript, threejs, ngspice, webgpu.',
    });
    expect(readToolCall('save_skill', { name: 'n', type: 'python', code: '', inputs: ['x'] })).toEqual({ ok: false, error: 'save_skill: "inputs" must be an array of objects.' });
    expect(readToolCall('set_input', 'node 1')).toEqual({ ok: false, error: 'set_input: the input must be an object.' });
    expect(readToolCall('make_compound_skill', { name: 'n', node_ids: ['a', 2] })).toEqual({ ok: false, error: 'make_compound_skill: "node_ids" must be an array of strings.' });
    expect(readToolCall('make_compound_skill', { name: 'n', node_ids: ['a', 'b'], promote: [{ node: 'a', port: 'x' }] }).ok).toBe(true);
  });
});

describe('the tools the server answers', () => {
  it('are the skill-reading ones; the app carries out the rest', () => {
    expect(CHAT_TOOL_DEFINITIONS.filter((t) => isServerTool(t.name)).map((t) => t.name)).toEqual(['read_skill', 'read_skill_file']);
    expect(isServerTool('add_node')).toBe(false);
    expect(isServerTool('toString')).toBe(false);
  });

  it('read their input against the same schema', () => {
    expect(readToolCall('read_skill', { skill_id: 'pdf' })).toEqual({ ok: true, value: { name: 'read_skill', input: { skill_id: 'pdf' } } });
    expect(readToolCall('read_skill_file', { skill_id: 'pdf' })).toEqual({ ok: false, error: 'read_skill_file: "path" is required.' });
    expect(readToolCall('read_skill', { skill_id: 7 })).toEqual({ ok: false, error: 'read_skill: "skill_id" must be a string.' });
  });
});
