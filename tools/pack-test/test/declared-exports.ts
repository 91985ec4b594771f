import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

export type Format = 'import' | 'require';

/**
 * The runtime (value) exports each entry point's shipped declarations promise, as TypeScript
 * resolves them from the app for an ES module (`import`) and for CommonJS (`require`). These are
 * what application code type-checks against, so each must exist at run time.
 */
export function declaredValueExports(
  app: string,
  specifiers: readonly string[],
): Map<string, Record<Format, string[]>> {
  const probes = specifiers.flatMap((specifier, i) => {
    const write = (extension: string) => {
      const file = join(app, `probe-${i}.${extension}`);
      writeFileSync(file, `import * as probe from '${specifier}';\nexport { probe };\n`);
      return file;
    };
    return [
      { specifier, format: 'import' as const, file: write('mts') },
      { specifier, format: 'require' as const, file: write('cts') },
    ];
  });
  const program = ts.createProgram(
    probes.map((probe) => probe.file),
    {
      module: ts.ModuleKind.Node16,
      moduleResolution: ts.ModuleResolutionKind.Node16,
      strict: true,
      noEmit: true,
      types: [],
    },
  );
  const checker = program.getTypeChecker();
  const found = new Map<string, Record<Format, string[]>>();
  for (const probe of probes) {
    const source = program.getSourceFile(probe.file);
    const declaration = source?.statements.find(ts.isImportDeclaration);
    const moduleSymbol = declaration && checker.getSymbolAtLocation(declaration.moduleSpecifier);
    if (!moduleSymbol)
      throw new Error(
        `TypeScript cannot resolve '${probe.specifier}' (${probe.format}) from the scratch app`,
      );
    const names = checker
      .getExportsOfModule(moduleSymbol)
      .filter((symbol) => symbol.name !== 'default')
      .filter((symbol) => {
        const target =
          symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        return (target.flags & ts.SymbolFlags.Value) !== 0;
      })
      .map((symbol) => symbol.name)
      .sort();
    const entry = found.get(probe.specifier) ?? { import: [], require: [] };
    entry[probe.format] = names;
    found.set(probe.specifier, entry);
  }
  return found;
}
