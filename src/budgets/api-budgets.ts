import type { PriorityShares } from '../core/budget/priority.ts';
import type { Logger } from '../log.ts';
import { pruneCallCounts } from '../store/api-budget.ts';
import type { Database } from '../store/database.ts';
import type { BudgetAlerts, BudgetMetrics } from './budget-deps.ts';
import { WAITING_FOR, type WaitingFor } from './budget-errors.ts';
import { type BudgetReport, buildBudgetReport } from './budget-report.ts';
import { createHubSpotBudget, type HubSpotBudget } from './hubspot-budget.ts';
import { createRateLimiter } from './rate-limiter.ts';
import { createSalesforceBudget, type SalesforceBudget } from './salesforce-budget.ts';

export interface ApiBudgetsOptions {
  db: Database;
  logger: Logger;
  hubspot: { burstLimit: number; dailyLimit: number; timezone: string; shares: PriorityShares };
  salesforce: {
    allocation?: number | undefined;
    allocationShares: PriorityShares;
    orgShares: PriorityShares;
    probeIntervalMs?: number;
    authRecheckMs?: number;
  };
  metrics?: BudgetMetrics | undefined;
  alerts?: BudgetAlerts | undefined;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Whether work parked for `waitingFor` ('salesforce_budget' | 'hubspot_budget' | 'salesforce_auth') may run again now. */
export type IsBudgetAvailable = (waitingFor: string) => Promise<boolean>;

export interface ApiBudgets {
  hubspot: HubSpotBudget;
  salesforce: SalesforceBudget;
  /**
   * For the replay of parked work. Budgets are judged for `handoff` work (what gets parked); Salesforce's
   * exhaustion and refused credentials are re-checked here when due (one probe across replicas).
   * A reason this module does not know is not ours to hold back: true.
   */
  isBudgetAvailable: IsBudgetAvailable;
  report(): Promise<BudgetReport>;
  /** Drops call counts older than any window we look at (call now and then). */
  prune(): Promise<void>;
}

export function createApiBudgets(options: ApiBudgetsOptions): ApiBudgets {
  const now = options.now ?? Date.now;
  const log = options.logger.child({ module: 'budget' });
  const limiter = createRateLimiter({ db: options.db, ...(options.sleep ? { sleep: options.sleep } : {}) });
  const common = { db: options.db, logger: options.logger, metrics: options.metrics, alerts: options.alerts, now };
  const hubspot = createHubSpotBudget({ ...common, limiter, ...options.hubspot });
  const salesforce = createSalesforceBudget({ ...common, ...options.salesforce });

  const isBudgetAvailable: IsBudgetAvailable = async (waitingFor) => {
    if (!(WAITING_FOR as readonly string[]).includes(waitingFor)) return true;
    switch (waitingFor as WaitingFor) {
      case 'salesforce_budget':
        return (await salesforce.decide('handoff')).proceed;
      case 'hubspot_budget':
        return (await hubspot.decide('handoff')).proceed;
      case 'salesforce_auth':
        return salesforce.authAvailable();
    }
    log.warn('unknown waitingFor', { waitingFor });
    return true;
  };

  return {
    hubspot,
    salesforce,
    isBudgetAvailable,
    report: () => buildBudgetReport(options.db, { hubspot, salesforce }, now()),
    prune: () => pruneCallCounts(options.db, now() - 26 * 60 * 60 * 1000),
  };
}
