import type { RunDevice } from '../../../shared/src/execution/types';
import './device-note.css';

/** Where a webgpu skill ran: "GPU: swiftshader", or "ran on the CPU: <why>" when its fallback ran. */
export const deviceText = (device: RunDevice): string => (device.kind === 'gpu' ? `GPU: ${device.adapter}` : `ran on the CPU: ${device.reason}`);

/** A node's device, on the node (`compact`: the badge, the reason in its title) or in the dock (the whole line). */
export function DeviceNote({ device, compact = false }: { device: RunDevice; compact?: boolean }) {
  const text = deviceText(device);
  return (
    <span class={`device-note device-${device.kind}${compact ? ' compact' : ''}`} data-testid="run-device" data-device={device.kind} title={text}>
      {compact && device.kind === 'cpu' ? 'ran on the CPU' : text}
    </span>
  );
}
