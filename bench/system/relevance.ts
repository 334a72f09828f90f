// What of a run's parameters and notes belongs in its report: those of the scenarios that ran.
// A `--scenario ham` run carried the benchadv tenant's note, the idle server's time-out and the
// fanout and chat sizes, as if they had been measured. Pure.

/** parameters that only mean something when one of these scenarios ran; the rest apply to every run */
const PARAM_SCENARIOS: Record<string, readonly string[]> = {
  peakRoundS: ['ham', 'adversarial'],
  rounds: ['ham', 'adversarial'],
  warmupS: ['ham', 'adversarial'],
  fixedSliceS: ['ham'],
  fixedSlices: ['ham'],
  engagements: ['ham', 'adversarial'],
  wsReceivers: ['ham', 'adversarial'],
  idleEngagements: ['idle'],
  idleTimeoutS: ['idle'],
  fanoutEngagements: ['fanout'],
  fanoutCopies: ['fanout'],
  chatEngagements: ['chat'],
};

export function relevantParams<V>(params: Record<string, V>, scenarios: readonly string[]): Record<string, V> {
  return Object.fromEntries(Object.entries(params).filter(([k]) => PARAM_SCENARIOS[k]?.some((s) => scenarios.includes(s)) ?? true));
}

/** a note and the scenarios it is about; null: every run */
export type TaggedNote = [readonly string[] | null, string];

export function relevantNotes(notes: readonly TaggedNote[], scenarios: readonly string[]): string[] {
  return notes.filter(([about]) => about === null || about.some((s) => scenarios.includes(s))).map(([, text]) => text);
}

/** the idle scenario's own target (spec: ≥ 100k open engagements in one process) */
export const IDLE_TARGET = 100_000;

/** Said when the idle scenario ran below its target: a smaller count is a probe, not the target. */
export function idleTargetNote(idleEngagements: number): string | null {
  return idleEngagements >= IDLE_TARGET ? null
    : `Idle: --idle-engagements ${idleEngagements} is below the ${IDLE_TARGET.toLocaleString('en-US')} open engagements the idle target is about — the ≥100k target was not attempted in this run.`;
}

export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
