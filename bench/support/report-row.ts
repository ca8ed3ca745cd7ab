/** One row of the bench's table; its own file so the report and the scenario row builders share it without a circle. */
export type Verdict = 'PASS' | 'MISS' | 'info' | 'NOT MEASURED';

/** `figure` names what is measured and never holds a measured value, so a baseline's rows line up with the current's. */
export interface ReportRow {
  figure: string;
  value: string;
  target: string;
  verdict: Verdict;
}
