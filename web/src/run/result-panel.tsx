import { useMemo } from 'preact/hooks';
import { circuitPlot } from './classify';
import { DeviceNote } from './device-note';
import { ErrorText } from './error-text';
import { innerNodeName } from './inner-node';
import { downloadFile } from '../panels/download';
import { fileOutput, type FileOutput } from './file-output';
import { LinePlot } from './lazy-line-plot';
import { OutputItem } from './output-view';
import type { NodeRun, RunSession } from './run-session';
import { ThreeViewport } from './three-viewport';

/** A node's results: its error, its 3D view or circuit plot, each output by type, and stdout. */
export default function ResultPanel({ session, nodeId, run }: { session: RunSession; nodeId: string; run: NodeRun }) {
  const state = run.state;
  const outputs = state?.outputs;
  const type = session.skillTypeOf(nodeId);
  const netlist = type === 'ngspice' ? session.skillCodeOf(nodeId) : undefined;
  const circuit = useMemo(() => (type === 'ngspice' && outputs ? circuitPlot(outputs, netlist) : undefined), [type, outputs, netlist]);
  const file = useMemo(() => (outputs ? fileOutput(outputs) : undefined), [outputs]);
  if (!state) return null;
  // A compound node's error comes from an inner node: its lines are lines of that node's skill.
  const failed = state.error && state.progress ? session.failedInner(nodeId) : undefined;
  return (
    <div class="result-panel" data-testid="result-panel">
      {failed && (
        <p class="inner-error" data-testid="inner-error" data-path={failed.path} data-skill={failed.skillId}>
          Failed inside this compound node: {innerNodeName(session.innerNode(failed.path), failed.path)}
          {failed.skillId && (
            <>
              , skill <code>{failed.skillId}</code>
            </>
          )}
        </p>
      )}
      {state.device && <DeviceNote device={state.device} />}
      {state.error && <ErrorText error={state.error} skillId={failed?.skillId ?? session.skillIdOf(nodeId)} />}
      {file && <DownloadOutput file={file} />}
      {type === 'threejs' && <ThreeViewport stageKey={`${session.room}/${nodeId}`} />}
      {circuit && (
        <div class="output output-series" data-testid="circuit-plot" data-x-label={circuit.xLabel} data-y-label={circuit.yLabel} data-right-label={circuit.rightLabel}>
          <div class="output-name">circuit vectors</div>
          <LinePlot view={circuit} />
        </div>
      )}
      {outputs &&
        Object.entries(outputs)
          // Vectors drawn in the circuit plot are not drawn again one by one.
          .filter(([name]) => !circuit || !circuit.drawn.includes(name))
          .map(([name, value]) => <OutputItem key={name} name={name} value={value} />)}
      {state.stdout && (
        <details class="result-stdout" open={!outputs}>
          <summary>stdout</summary>
          <pre data-testid="result-stdout">{state.stdout}</pre>
        </details>
      )}
    </div>
  );
}

/** A button that saves a skill's file to the person's downloads. */
export function DownloadOutput({ file }: { file: FileOutput }) {
  return (
    <button type="button" class="download-output" data-testid="download-output" onClick={() => downloadFile(file.filename, file.content, file.mimeType)}>
      Download {file.filename}
    </button>
  );
}
