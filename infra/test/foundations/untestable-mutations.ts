/**
 * Action-level mutations no offline scenario can flip, each with the reason. The sweep fails if any other mutation
 * flips nothing, and if an entry here stops being a mutation or starts flipping a scenario (then it is tested: remove
 * it from this table).
 */
export const UNTESTABLE_MUTATIONS: Readonly<Record<string, string>> = {
  'innovate-devops/NoCommandsOnNodes/-ec2-instance-connect:OpenTunnel':
    'iam-simulate 0.1.173 rejects every instance-connect-endpoint ARN as matching several resource types ' +
    '("multiple.resource.types"), so no request for this action can be evaluated offline',
};
