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
# Delete propagation: orphaned ReplicaSets keep their pods and lose their owner; a
# foreground delete waits until the dependents are gone.
kubectl create deployment web --image=nginx:1.25 --replicas=2
kubectl rollout status deployment web
kubectl delete deployment web --cascade=orphan
kubectl get deployments
kubectl get rs
kubectl get rs -o yaml
kubectl get pods
kubectl delete rs --all --cascade=bogus
kubectl create deployment api --image=nginx:1.25 --replicas=2
kubectl rollout status deployment api
kubectl delete deployment api --cascade=foreground
kubectl get deployments
kubectl get pods
kubectl delete rs --all --cascade=false
kubectl get rs
kubectl get pods
