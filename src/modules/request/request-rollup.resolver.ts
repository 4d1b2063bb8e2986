import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../graphql/context';
import { Agency } from '../agency/agency.entity';
import { requestRollupService } from './request-rollup.service';
import { RequestRollup, RequestRollupFilter, RequestRollupRow } from './request-rollup.types';

@Resolver(() => RequestRollup)
export class RequestRollupResolver {
  @Query(() => RequestRollup, {
    description:
      '依申请公开汇总：各机关本级及含下级合计——收到、按期答复、逾期答复、逾期未答复、延长、按办理结果 ' +
      '(information-request roll-up: per agency, own requests and its whole subtree; from maintained figures)',
  })
  requestRollup(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => RequestRollupFilter, { description: '年度与范围 (year and subtree)' }) filter: RequestRollupFilter,
  ) {
    return requestRollupService.rollup(ctx, filter.year, filter.agencyId);
  }
}

@Resolver(() => RequestRollupRow)
export class RequestRollupRowResolver {
  @FieldResolver(() => Agency, { description: '机关 (agency)' })
  agency(@Root() row: RequestRollupRow, @Ctx() ctx: RequestContext) {
    return ctx.loaders.agency.byId.load(row.agencyId);
  }
}
