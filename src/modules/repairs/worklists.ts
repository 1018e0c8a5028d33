// The repairs planner's worklists on the home page (issue 14).
import type { WorklistSection } from '../../platform/modules.ts';

export const repairWorklists: readonly WorklistSection[] = [];
