import type { IsoDate } from '../sync/cells/dates.ts';
import type { SampleContext } from './context.ts';
import { type Place, abroadPlace, taiwanPlace } from './places.ts';
import type { Cells } from './writer.ts';

/** A generated contact: its row, and the facts later tabs need (who can be mailed, since when). */
export interface Person {
  id: string;
  row: Cells;
  created: IsoDate;
  abroad: boolean;
  /** Has an email, opted in, and may be contacted: newsletters go to them. */
  mailable: boolean;
  email?: string;
  tags: readonly string[];
  /** 0..1: how likely this person opens and clicks mail. */
  engagement: number;
}

export interface PersonOptions {
  birthDate?: IsoDate;
  abroad?: boolean;
}

const TAGS = [['志工', 5], ['會員', 3], ['講座', 2], ['媒體', 0.5], ['企業', 1], ['VIP', 1], ['義賣', 1.5], ['理事', 0.3], ['校友', 1]] as const;
const SOURCES = [['官網', 5], ['Facebook', 4], ['活動', 3], ['朋友介紹', 3], ['街頭募款', 1], ['LINE', 2], ['Instagram', 1.5], ['舊資料匯入', 2]] as const;
const NOTES = ['偏好電子收據', '請勿於晚上來電', '年底寄紙本收據', '地址已更新', '收據抬頭為公司', '不需寄送紀念品'];
const ORG_WORDS = ['晨光', '向陽', '和平', '青山', '海風', '同心', '長青', '明德', '光華'];
const ORG_KINDS = ['扶輪社', '獅子會', '科技股份有限公司', '文教基金會', '國小家長會', '長老教會', '讀書會', '診所'];

export function newPerson(ctx: SampleContext, id: string, created: IsoDate, options: PersonOptions = {}): Person {
  const { rng, typist } = ctx;
  const abroad = options.abroad ?? rng.chance(0.03);
  const english = rng.chance(abroad ? 0.8 : 0.27);
  const faker = english ? rng.en : rng.zh;
  const [first, last] = [faker.person.firstName(), faker.person.lastName()];
  const organization = rng.chance(0.03) ? (english ? rng.en.company.name() : `${rng.pick(ORG_WORDS)}${rng.pick(ORG_KINDS)}`) : undefined;
  // Only reserved example domains: the sample never holds a deliverable address.
  const email = rng.chance(0.85) ? (english ? rng.en.internet.exampleEmail({ firstName: first, lastName: last }) : rng.zh.internet.exampleEmail()).toLowerCase() : undefined;
  const phone = rng.chance(0.8) ? taiwanPhone(ctx) : undefined;
  const emailOptIn = !!email && rng.chance(0.8);
  const doNotContact = rng.chance(0.01);
  const place: Place = abroad ? abroadPlace(rng) : taiwanPlace(rng);
  const tags = rng.chance(0.25) ? [...new Set([rng.weighted(TAGS), rng.weighted(TAGS)].slice(0, rng.int(1, 2)))] : [];
  const birthDate = options.birthDate ?? (rng.chance(0.4) ? birthDay(ctx) : undefined);
  // Half the organisations are recorded without a contact person.
  const names = organization && rng.chance(0.5) ? { first: undefined, last: undefined } : { first, last };

  const row: Cells = {
    contact_id: id,
    first_name: names.first, last_name: names.last, organization,
    email, phone,
    birth_date: typist.date(birthDate),
    ...place,
    language: english ? (abroad || rng.chance(0.5) ? 'en' : 'zh-TW') : rng.chance(0.8) ? 'zh-TW' : undefined,
    email_opt_in: typist.bool(emailOptIn),
    sms_opt_in: typist.bool(!!phone && rng.chance(0.35)),
    map_opt_in: typist.bool(rng.chance(0.55)),
    do_not_contact: doNotContact ? typist.bool(true) : undefined,
    tags: tags.join(rng.pick([', ', '、'])) || undefined,
    source: rng.weighted(SOURCES),
    created_at: typist.date(created),
    notes: rng.chance(0.03) ? rng.pick(NOTES) : undefined,
  };
  return { id, row, created, abroad, mailable: emailOptIn && !doNotContact, email, tags, engagement: rng.float(0, 1) };
}

function taiwanPhone({ rng }: SampleContext): string {
  const digits = (n: number) => String(rng.int(0, 10 ** n - 1)).padStart(n, '0');
  if (rng.chance(0.15)) return `0${rng.pick(['2', '4', '7'])}-${digits(4)}-${digits(4)}`;
  const [a, b, c] = [`09${digits(2)}`, digits(3), digits(3)];
  return rng.weighted([[`${a}-${b}-${c}`, 6], [`${a}${b}${c}`, 3], [`+886 ${a.slice(1)} ${b} ${c}`, 1]]);
}

function birthDay({ rng, year }: SampleContext): IsoDate {
  const y = year - rng.int(20, 80);
  return rng.dateBetween(`${y}-01-01`, `${y}-12-31`);
}
