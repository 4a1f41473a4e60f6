import type Anthropic from '@anthropic-ai/sdk';

/**
 * The tools the model may call. The PWA carries them out on the shared workflow document (one
 * undoable transaction each, seen live by collaborators) and sends the results back.
 */
export const CHAT_TOOLS: Anthropic.Tool[] = [
  {
    name: 'add_node',
    description: 'Add a node for a skill to the open workflow. Returns the new node id.',
    input_schema: {
      type: 'object',
      properties: {
        skill_id: { type: 'string', description: 'The skill_id of a skill the person can read.' },
        label: { type: 'string' },
        x: { type: 'number' },
        y: { type: 'number' },
        inputs: { type: 'object', description: 'Literal values for inputs, by input name.' },
      },
      required: ['skill_id'],
    },
  },
  {
    name: 'connect_ports',
    description: "Connect one node's output to another node's input; types must match.",
    input_schema: {
      type: 'object',
      properties: {
        source_node: { type: 'string' },
        output: { type: 'string' },
        target_node: { type: 'string' },
        input: { type: 'string' },
      },
      required: ['source_node', 'output', 'target_node', 'input'],
    },
  },
  {
    name: 'set_input',
    description: 'Set a literal value for an unconnected input of a node.',
    input_schema: {
      type: 'object',
      properties: { node_id: { type: 'string' }, input: { type: 'string' }, value: {} },
      required: ['node_id', 'input', 'value'],
    },
  },
  {
    name: 'run_workflow',
    description: 'Run the open workflow (or one node and what it needs) and return outputs or errors.',
    input_schema: { type: 'object', properties: { node_id: { type: 'string' } } },
  },
  {
    name: 'save_skill',
    description: "Save code as a new skill in the person's own volume.",
    input_schema: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        skill_id: { type: 'string' },
        type: { type: 'string', enum: ['python', 'javascript', 'threejs', 'ngspice'] },
        description: { type: 'string' },
        code: { type: 'string' },
        inputs: { type: 'array', items: { type: 'object' } },
        outputs: { type: 'array', items: { type: 'object' } },
      },
      required: ['name', 'type', 'code'],
    },
  },
];
