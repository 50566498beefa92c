import { CreateFoundation1764800000000 } from './1764800000000-CreateFoundation.js';
import { CreateLedger1764800100000 } from './1764800100000-CreateLedger.js';
import { CreateWebhooksAndOutbox1764800200000 } from './1764800200000-CreateWebhooksAndOutbox.js';
import { CreateWalletsMandatesPayments1764800300000 } from './1764800300000-CreateWalletsMandatesPayments.js';
import { CreatePayouts1764800400000 } from './1764800400000-CreatePayouts.js';
import { AddPayoutPaidTransaction1764800400100 } from './1764800400100-AddPayoutPaidTransaction.js';
import { CreateCatalog1764800500000 } from './1764800500000-CreateCatalog.js';
import { CreateUsageMetering1764800500100 } from './1764800500100-CreateUsageMetering.js';
import { ReferenceLedgerFromUsageEvents1764800500300 } from './1764800500300-ReferenceLedgerFromUsageEvents.js';
import { CreateIncentives1764800600000 } from './1764800600000-CreateIncentives.js';
import { QueueEventsForDispatch1764800700000 } from './1764800700000-QueueEventsForDispatch.js';

/** Every migration, in order. Listed explicitly so the app, the CLI and the tests load the same set. */
export const ALL_MIGRATIONS = [
  CreateFoundation1764800000000,
  CreateLedger1764800100000,
  CreateWebhooksAndOutbox1764800200000,
  CreateWalletsMandatesPayments1764800300000,
  CreatePayouts1764800400000,
  AddPayoutPaidTransaction1764800400100,
  CreateCatalog1764800500000,
  CreateUsageMetering1764800500100,
  ReferenceLedgerFromUsageEvents1764800500300,
  CreateIncentives1764800600000,
  QueueEventsForDispatch1764800700000,
];
