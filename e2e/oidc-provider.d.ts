// oidc-provider (a devDependency, used only by e2e/oidc.spec.ts) ships no type declarations.
declare module "oidc-provider";
