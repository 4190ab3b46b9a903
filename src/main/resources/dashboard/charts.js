import uPlot from '/dashboard/uPlot.esm.js';

const WINDOW_SECONDS = 15 * 60;
const COLOURS = ['#1f77b4', '#d62728'];

// A live line chart of the last 15 minutes: x is seconds since the epoch, one series per field of the samples.
export class LiveChart {
  constructor(container, title, fields) {
    this.fields = fields;
    this.data = [[], ...fields.map(() => [])];
    this.plot = new uPlot({
      title,
      width: Math.max(container.clientWidth - 20, 420),
      height: 180,
      series: [{}, ...fields.map((field, i) => ({ label: field.label, stroke: COLOURS[i], width: 1.5 }))],
      axes: [{}, { size: 70 }],
      scales: { x: { time: true } },
    }, this.data, container);
  }

  add(samples) {
    for (const sample of samples) {
      this.data[0].push(sample.time / 1000);
      this.fields.forEach((field, i) => this.data[i + 1].push(sample[field.key]));
    }
    const oldest = this.data[0].length - WINDOW_SECONDS;
    if (oldest > 0) {
      this.data.forEach(series => series.splice(0, oldest));
    }
    this.plot.setData(this.data);
  }

  destroy() {
    this.plot.destroy();
  }
}
