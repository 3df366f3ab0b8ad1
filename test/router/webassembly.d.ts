// The WebAssembly JS API types the router tests and benchmarks use. Node 20 has the API,
// but neither @types/node 20 nor lib ES2022 declare it (it lives in lib.dom), and the tests
// do not pull the DOM types in. Global to the test/bench TypeScript project.
declare namespace WebAssembly {
  interface MemoryDescriptor { initial: number; maximum?: number; shared?: boolean }
  interface Memory { readonly buffer: ArrayBuffer; grow(delta: number): number }
  interface Instance { readonly exports: Record<string, unknown> }
  interface Module { readonly __brand?: "Module" }
  interface ModuleImportDescriptor { module: string; name: string; kind: string }
  interface ModuleExportDescriptor { name: string; kind: string }
  interface WebAssemblyInstantiatedSource { module: Module; instance: Instance }
  const Memory: { new (desc: MemoryDescriptor): Memory };
  const Module: {
    new (bytes: Uint8Array): Module;
    imports(m: Module): ModuleImportDescriptor[];
    exports(m: Module): ModuleExportDescriptor[];
  };
  const Instance: { new (m: Module, imports?: object): Instance };
  function compile(bytes: Uint8Array): Promise<Module>;
  function instantiate(bytes: Uint8Array, imports?: object): Promise<WebAssemblyInstantiatedSource>;
  function instantiate(m: Module, imports?: object): Promise<Instance>;
  function validate(bytes: Uint8Array): boolean;
  class CompileError extends Error {}
  class LinkError extends Error {}
  class RuntimeError extends Error {}
}
