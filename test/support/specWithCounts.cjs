// mocha's spec reporter, plus a JSON file of the counts (reporter option `output`) for the closing summary line.
const fs = require('node:fs');
const Mocha = require('mocha');

class SpecWithCounts extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const output = options && options.reporterOptions && options.reporterOptions.output;
    runner.once('end', () => {
      if (output) fs.writeFileSync(output, JSON.stringify({ passed: this.stats.passes, failed: this.stats.failures }));
    });
  }
}

module.exports = SpecWithCounts;
