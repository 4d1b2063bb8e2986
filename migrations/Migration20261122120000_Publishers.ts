import { Migration } from '@mikro-orm/migrations';
import { evaluatorReadPolicy, tenantPoliciesV2 } from './support/tenancy-sql';

/** 指定发布单位 (002 §21): units designated to publish for given website columns, under the tenancy gate. */
export class Migration20261122120000_Publishers extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "publisher_designation" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "agency_id" uuid not null, "unit_id" uuid not null, "website_columns" text[] not null default '{}', "created_by" varchar(64) not null, constraint "publisher_designation_pkey" primary key ("id"));`);
    this.addSql(`create index "publisher_designation_unit_idx" on "publisher_designation" ("unit_id");`);
    this.addSql(`alter table "publisher_designation" add constraint "publisher_designation_agency_unit_unique" unique ("agency_id", "unit_id");`);

    this.addSql(`alter table "publisher_designation" add constraint "publisher_designation_agency_id_foreign" foreign key ("agency_id") references "agency" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "publisher_designation" add constraint "publisher_designation_unit_id_foreign" foreign key ("unit_id") references "unit" ("id") on update cascade on delete cascade;`);

    for (const s of tenantPoliciesV2('publisher_designation')) this.addSql(s);
    for (const s of evaluatorReadPolicy('publisher_designation', 'false')) this.addSql(s);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "publisher_designation" cascade;`);
  }

}
