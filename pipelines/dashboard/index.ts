export { buildDashboard, DashboardBuildError, type BuildDashboardOptions, type BuildDashboardResult } from './build.ts';
export {
  previewDashboard,
  DEFAULT_PREVIEW_HOST,
  DEFAULT_PREVIEW_PORT,
  type DashboardPreview,
  type PreviewDashboardOptions,
} from './preview.ts';
export { DASHBOARD_BUILD_DIR, DASHBOARDS_DIR } from './paths.ts';
