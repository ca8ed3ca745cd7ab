// Prints one plain closing line, "N passed, N failed, N skipped", that any CI log reader understands.
// Written at process exit so it comes after jest's own summary.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const line = `${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests} skipped`;
    process.once('exit', () => process.stderr.write(`\n${line}\n`));
  }
}
module.exports = SummaryReporter;
