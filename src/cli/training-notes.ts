/**
 * What the CLI says on stderr after training a forecaster (one series or a panel): the check against naive, the
 * final fit, the options set for the user.
 */
import type { TrainResult } from '../models/recurrent/training.js';

/**
 * Writes the training notes to stderr: the held-out check against the naive forecast (and its warning), the final
 * fit, and each option set because of another the user gave.
 * @param training - the forecaster's `training` record
 */
export function printTrainingNotes(training: Partial<TrainResult> | undefined): void {
  const check = training?.validation;
  if (check) {
    const numbers = `RMSE ${check.rmse.toPrecision(4)}, naive forecast ${check.naiveRmse.toPrecision(4)}`;
    process.stderr.write(`validation (${check.windows} windows): ${numbers}, Theil's U ${check.theilU.toFixed(3)}\n`);
    if (check.warning) process.stderr.write(`warning: ${check.warning}\n`);
  }
  const final = training?.finalFit;
  if (final) {
    const rows = `${final.epochs} epochs on the training and validation rows (${final.rows})`;
    process.stderr.write(`final fit: ${rows}; --final-fit training keeps the validated model\n`);
  }
  for (const a of training?.adjusted ?? []) {
    process.stderr.write(`note: ${a.option} ${a.value}: ${a.reason}\n`);
  }
}
