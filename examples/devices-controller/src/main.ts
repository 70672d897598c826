/**
 * Runs the devices controller standalone for a few seconds, printing its progress:
 *
 *   npx node examples/devices-controller/src/main.ts
 *   npm start -w @recon/example-devices-controller
 */
import { runDemo } from './demo.ts';

await runDemo({ print: (line) => process.stdout.write(line + '\n') });
