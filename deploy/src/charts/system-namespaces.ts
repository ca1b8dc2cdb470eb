/**
 * Never checked by the admission policies: the control plane's own pods, and Gatekeeper itself (it must be able to
 * start to enforce). Its own module because the policies chart reads the add-ons and the add-ons read this list.
 */
export const SYSTEM_NAMESPACES = ['kube-system', 'kube-public', 'kube-node-lease', 'gatekeeper-system'];
