// The few WebAssembly JS API types the router tests use. Node 20 has the API, but neither
// @types/node 20 nor lib ES2022 declare it (it lives in lib.dom), and the tests do not
// pull the DOM types in.
declare namespace WebAssembly {
  interface Memory { readonly buffer: ArrayBuffer; grow(delta: number): number }
  interface Instance { readonly exports: Record<string, unknown> }
  interface Module { readonly __brand?: "Module" }
  interface ModuleImportDescriptor { module: string; name: string; kind: string }
  interface ModuleExportDescriptor { name: string; kind: string }
  const Module: {
    new (bytes: Uint8Array): Module;
    imports(m: Module): ModuleImportDescriptor[];
    exports(m: Module): ModuleExportDescriptor[];
  };
  const Instance: { new (m: Module, imports?: object): Instance };
  function instantiate(bytes: Uint8Array, imports?: object): Promise<{ module: Module; instance: Instance }>;
  function validate(bytes: Uint8Array): boolean;
  class RuntimeError extends Error {}
}
