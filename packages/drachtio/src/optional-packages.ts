import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * Loads a companion package (drachtio-session, drachtio-dialog) the application installed.
 * It is not a dependency of drachtio, so it is looked up from the application as well as
 * from here; its default export (or the module itself) is returned.
 */
export function loadCompanion<T>(name: string): T {
  // Here, the folder the app runs in, and the app's entry script (CommonJS or ES module).
  const entry = require.main?.filename ?? process.argv[1];
  const origins = [__filename, join(process.cwd(), 'index.js'), ...(entry ? [entry] : [])];
  for (const origin of origins) {
    let loaded: { default?: T } & T;
    try {
      loaded = createRequire(origin)(name) as { default?: T } & T;
    } catch (error) {
      if (
        (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
        String((error as Error).message).includes(`'${name}'`)
      )
        continue;
      throw error;
    }
    return loaded.default ?? loaded;
  }
  throw new Error(
    `drachtio.${name.replace(/^drachtio-/, '')} needs the package '${name}', which is not installed: npm install ${name}`,
  );
}
