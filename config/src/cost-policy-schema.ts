/**
 * Per-environment cost policy (requirement COST-3, "small baseline + autoscale"): which interface endpoints an environment keeps
 * and in how many AZs, when it is switched off, and why each choice that costs more than the cheaper one is made.
 * The infra stacks apply it; the cost model (cost/) prices it and prints the reasons.
 */
import { z } from 'zod';

/** Interface endpoint services the network stack knows how to create (AWS service names). */
export const INTERFACE_ENDPOINT_SERVICES = [
  'ecr.api',
  'ecr.dkr',
  'sts',
  'logs',
  'secretsmanager',
  'ssm',
  'ssmmessages',
  'ec2messages',
  'cognito-idp',
] as const;
export type InterfaceEndpointService = (typeof INTERFACE_ENDPOINT_SERVICES)[number];

export const WEEKDAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'] as const;
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected a 24-hour time such as 08:00');
const reason = z.string().min(10, 'state the reason in a sentence');

/** `07:30` → 450. */
export function minutesOf(clock: string): number {
  return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3));
}

export const offHoursSchema = z
  .strictObject({
    /** Off by default: only an environment that says so is stopped outside working hours. */
    enabled: z.boolean(),
    /** IANA time zone the working hours are in (EventBridge Scheduler evaluates the cron in it). */
    timeZone: z
      .string()
      .regex(/^[A-Za-z]+(\/[A-Za-z0-9_+-]+)+$|^UTC$/, 'expected an IANA time zone such as Europe/Berlin'),
    /** Days the environment runs. */
    workdays: z.array(z.enum(WEEKDAYS)).min(1),
    /** When the database and the system node group start (the API follows them) and when everything stops. */
    start: clock,
    stop: clock,
    /**
     * System nodes outside working hours (EventBridge Scheduler sets the managed node group's minimum and desired
     * size to it at `stop`). At least 1: Karpenter's controller runs only there, and it must stay up to remove the
     * emptied Karpenter nodes and to launch one for the wake-up Job in the morning.
     */
    systemNodesAtNight: z.number().int().min(1),
    /**
     * Minutes after `start` at which the API is scaled back up. Its wake-up Job also waits for the database to
     * accept connections first, so this only spares the Job a long wait while RDS starts (typically 5-10 minutes).
     */
    apiWakeDelayMinutes: z.number().int().min(0).max(120),
  })
  .refine((s) => s.start < s.stop, { path: ['stop'], message: 'must be later than start on the same day' })
  .refine((s) => minutesOf(s.start) + s.apiWakeDelayMinutes < minutesOf(s.stop), {
    path: ['apiWakeDelayMinutes'],
    message: 'the API must wake before stop',
  });

export const costPolicySchema = z.strictObject({
  /** Interface endpoints kept (the S3 gateway endpoint is always there, it costs nothing). */
  interfaceEndpoints: z.strictObject({
    services: z.array(z.enum(INTERFACE_ENDPOINT_SERVICES)),
    /** AZs each endpoint has a network interface in; traffic from the other AZs crosses AZs to reach it. */
    azCount: z.number().int().min(1).max(3),
    /** Why these endpoints exist at all (the model's break-even says NAT is cheaper at the assumed volumes). */
    reason,
  }),
  /** Stop the database, scale the API to zero and let Karpenter remove its nodes outside working hours. */
  offHours: offHoursSchema,
  /** Why each choice that costs more than the cheaper option is made; the config loader asks for each one in use. */
  reasons: z
    .strictObject({
      natPerAz: reason,
      natGateway: reason,
      multiAzDatabase: reason,
      endpointsInEveryAz: reason,
      alwaysOn: reason,
    })
    .partial()
    .default({}),
});

export type CostPolicy = z.infer<typeof costPolicySchema>;
export type OffHours = z.infer<typeof offHoursSchema>;

/** Hours per week the environment runs under its schedule (168 when it has none). */
export function weeklyOnHours(offHours: OffHours): number {
  if (!offHours.enabled) return 168;
  return (offHours.workdays.length * (minutesOf(offHours.stop) - minutesOf(offHours.start))) / 60;
}

/** The clock time `minutes` after `clock` on the same day (`07:00` + 15 → `07:15`). */
export function clockAfter(clock: string, minutes: number): string {
  const total = minutesOf(clock) + minutes;
  return `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`;
}
