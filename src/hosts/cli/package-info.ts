import { version } from '../../../package.json';

export const VERSION: string = version;

export { ruleDocsUri } from '../../project/docs-links';
