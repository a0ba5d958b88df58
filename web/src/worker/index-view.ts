// What every index kind tells the page alike (SearchIndexInfo's common
// fields), read from the module's info of a bundle or a partitioned index.
import type { SearchIndexInfo } from '../shared/protocol';

type CommonFields = 'featureSpec' | 'featureVersion' | 'metric' | 'dim' | 'count';

export function commonIndexView(info: Pick<SearchIndexInfo, CommonFields>): Pick<SearchIndexInfo, CommonFields> {
  return {
    featureSpec: info.featureSpec,
    featureVersion: info.featureVersion,
    metric: info.metric,
    dim: info.dim,
    count: info.count,
  };
}
