/**
 * The gift ledger: every gift and failed attempt of a dataset put in date order once, asked
 * questions in the domain's words. How it is kept (date-ordered lists, typed-array columns, day
 * numbers, binary search) stays inside this folder.
 */
export { type GiftHistory, failedByContact, giftHistories, giftsByContact, giftsPerPlan, giftsWithin, recurringGivers } from './cuts.ts';
export { type Donors, donorsIn, firstGiftDate, firstGiftsIn, giftCountIn, giftsIn, moneyIn } from './in-period.ts';
export { type MoneySum, type OtherCurrency, moneySums, sumMoney, totalsByCurrency } from './money.ts';
