# kubectl explain, served as OpenAPI v3 by rollout-lab apiserver (issue #18).
kubectl explain deployment.spec.strategy
# Aggregated discovery (apidiscovery.k8s.io/v2): the same resources as the legacy lists.
kubectl api-resources
kubectl api-resources --namespaced=false
kubectl api-resources --api-group=apps -o name
kubectl get all
kubectl explain pods
kubectl explain pod.metadata.creationTimestamp
kubectl explain pod.spec.containers.resources
kubectl explain deployment.spec --recursive
kubectl explain pdb.spec.maxUnavailable
kubectl explain svc.spec.type
kubectl explain deployment.spec.nosuchfield
kubectl explain rollouts
kubectl create namespace argo-rollouts
kubectl apply -n argo-rollouts -f https://github.com/argoproj/argo-rollouts/releases/latest/download/install.yaml
kubectl explain rollouts
kubectl explain rollout.spec.strategy.canary.steps
kubectl explain rollout.spec.strategy --recursive
kubectl explain rollout.metadata
