/** Public API of the device-model analysis: pure functions over a HostSnapshot. */
export { TOPIC_SLUGS, isTopicSlug, type TopicSlug } from "./topics";
export {
  compilePattern,
  validatePattern,
  matchPath,
  splitPath,
  contextFor,
  MAX_PATTERN_LENGTH,
  type CompiledPattern,
  type MatchContext,
  type PatternToken,
} from "./pattern";
export { DEFAULT_XS_RULES, compileRules, type XsRule, type XsSeverity, type CompiledRule, type CompiledRules } from "./rules";
export { xsRuleSchema, xsRulesSchema } from "./schema";
export { classifyKeys, firstMatchingRule, type KeyClassification, type XsDependency } from "./classify";
export { classifyDeviceModel, type DeviceModelInfo, type DeviceModelKind } from "./device-model";
export { qmpSummary, XEN_QMP_COMMANDS, type QmpSummary, type QmpNote } from "./qmp-summary";
export {
  assessDepriv,
  explainProcErrors,
  RANGE_BASE_UID,
  DM_FSIZE_LIMIT,
  type DeprivCheck,
  type DeprivCheckId,
  type DeprivReport,
  type DeprivVerdict,
  type CheckVerdict,
} from "./depriv";
export {
  analyzeDomain,
  analyzeHost,
  summarizeFleet,
  keyPattern,
  type VmAnalysis,
  type HostAnalysis,
  type FleetSummary,
  type BlockerSummary,
  type UnclassifiedGroup,
  type DomainRole,
} from "./analyze";
export { benchAnalysis, syntheticHost, syntheticDomain, type BenchResult } from "./bench";
