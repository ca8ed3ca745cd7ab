import { type CalibrationExamples, type SegmentThreshold, segmentThresholds } from '../../core/calibration/examples.ts';
import { MAPPING_FILES } from '../../core/mappings/bundle.ts';
import { acceptedLowScorers, evaluatedSegments, rejectedHighScorers } from '../../store/calibration-examples.ts';
import { filesByRecordedVersion } from '../../store/config-versions.ts';
import type { Queryable } from '../../store/database-types.ts';
import { checkSchema } from './files.ts';

export interface ExamplesQuery {
  from: Date;
  to: Date;
  /** Per list. */
  limit: number;
}

/** GET /api/calibration/examples: the examples for the monthly MQL review. */
export interface CalibrationExamplesReader {
  examples(query: ExamplesQuery): Promise<CalibrationExamples>;
}

/**
 * Reads both lists for the contacts evaluated in the period. The thresholds come from the stored configuration
 * version that recorded each evaluation's definition version (the record keeps the segment, not its threshold).
 */
export function createCalibrationExamples(db: Queryable): CalibrationExamplesReader {
  return {
    async examples(query) {
      const period = { from: query.from, to: query.to };
      const thresholds = await thresholdsOf(db, await evaluatedSegments(db, period));
      const [rejected, accepted] = await Promise.all([
        rejectedHighScorers(db, period, thresholds, query.limit),
        acceptedLowScorers(db, period, thresholds, query.limit),
      ]);
      return {
        from: query.from.toISOString(),
        to: query.to.toISOString(),
        limit: query.limit,
        rejectedHighScorers: rejected,
        acceptedLowScorers: accepted,
      };
    },
  };
}

async function thresholdsOf(db: Queryable, pairs: { definitionVersion: string; segmentId: string }[]): Promise<SegmentThreshold[]> {
  const versions = [...new Set(pairs.map((pair) => pair.definitionVersion))];
  const stored = await filesByRecordedVersion(db, MAPPING_FILES.mql, versions);
  return stored.flatMap(({ recorded, files }) => {
    const schema = checkSchema(files);
    if (!schema.ok) return [];
    const wanted = pairs.filter((pair) => pair.definitionVersion === recorded).map((pair) => pair.segmentId);
    return segmentThresholds(recorded, schema.bundle.mql.segments, wanted);
  });
}
