import { z } from 'zod';
import { type Activity } from '../../../domain/clio/activity';
import { bool, currency, decimal, id, link, linkId, num, str, toMoney, und } from './wire';

export const ACTIVITY_FIELDS = [
  'id,etag,type,date,quantity,rounded_quantity,price,total,note,billed,on_bill,non_billable',
  'created_at,updated_at,currency{code},matter{id},user{id},bill{id},activity_description{id,name}',
].join(',');

export const activitySchema = (defaultCurrency: string) =>
  z
    .looseObject({
      id,
      etag: str,
      type: z.string(),
      date: z.string(),
      quantity: num,
      rounded_quantity: num,
      price: decimal,
      total: decimal,
      note: str,
      billed: bool,
      on_bill: bool,
      non_billable: bool,
      created_at: str,
      updated_at: str,
      currency,
      matter: link,
      user: link,
      bill: link,
      activity_description: link,
    })
    .transform((a): Activity => {
      const cur = a.currency ?? defaultCurrency;
      return {
        id: a.id,
        etag: und(a.etag),
        type: a.type,
        date: a.date,
        durationSeconds: und(a.quantity),
        roundedDurationSeconds: und(a.rounded_quantity),
        rate: toMoney(a.price, cur),
        total: toMoney(a.total, cur),
        note: und(a.note),
        matterId: linkId(a.matter),
        userId: linkId(a.user),
        billId: linkId(a.bill),
        activityDescriptionId: linkId(a.activity_description),
        activityDescriptionName: und(a.activity_description?.name),
        billed: a.billed ?? false,
        onBill: a.on_bill ?? false,
        nonBillable: a.non_billable ?? false,
        createdAt: und(a.created_at),
        updatedAt: und(a.updated_at),
      };
    });
