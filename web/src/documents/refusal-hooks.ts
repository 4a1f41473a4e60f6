import { useEffect, useState } from 'preact/hooks';
import { getRefusals, onRefusals, type Refusal } from './refusals';

/** The writes the server refused, newest first, following new ones and dismissals. */
export function useRefusals(): readonly Refusal[] {
  const [refusals, setRefusals] = useState(getRefusals);
  useEffect(() => {
    // One may have arrived between the first render and this subscription.
    setRefusals(getRefusals());
    return onRefusals(() => setRefusals(getRefusals()));
  }, []);
  return refusals;
}
