// Chart.js on a canvas, with only the parts the console draws registered.
import { useEffect, useRef } from 'preact/hooks';
import {
  Chart, RadarController, LineController, BarController, RadialLinearScale, LinearScale, CategoryScale, PointElement,
  LineElement, BarElement, Filler, Tooltip,
} from 'chart.js';

Chart.register(RadarController, LineController, BarController, RadialLinearScale, LinearScale, CategoryScale,
  PointElement, LineElement, BarElement, Filler, Tooltip);

export function ChartCanvas({ config, label }) {
  const canvas = useRef(null);
  useEffect(() => {
    const chart = new Chart(canvas.current, { ...config, options: { animation: false, responsive: true, ...config.options } });
    return () => chart.destroy();
  }, [JSON.stringify(config.data)]);
  return <canvas ref={canvas} role="img" aria-label={label} />;
}
