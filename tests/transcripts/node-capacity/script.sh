# A cluster with limits: three workers of 2 CPUs each. Pods that request 1.5 CPU fit one
# per node; a rolling update's surge pod finds no room, stays Pending, and the rollout
# stalls until a pod leaves (here: the Deployment is scaled down).
kubectl get nodes -o wide
kubectl apply -f web.yaml
sleep 10
kubectl get pods -o wide
kubectl describe node k8s-node01
kubectl set image deployment/web demoapp=ikubernetes/demoapp:v1.1
sleep 20
kubectl get pods -o wide
kubectl get rs
kubectl describe pod $(kubectl get pods --field-selector=status.phase=Pending -o name | cut -d/ -f2)
kubectl get pods --field-selector=status.phase=Pending
kubectl scale deployment web --replicas=2
sleep 40
kubectl get pods -o wide
kubectl rollout status deployment/web
kubectl get rs
sleep 35
kubectl get pods -o wide
# Cordon the free node: a third replica then fits nowhere, for two reasons; uncordoning
# the node lets it in.
kubectl cordon k8s-node01
kubectl cordon k8s-node01
kubectl get nodes
kubectl scale deployment web --replicas=3
sleep 5
kubectl get pods -o wide
kubectl get events --field-selector reason=FailedScheduling
kubectl describe node k8s-node01 | grep -E 'Taints|Unschedulable'
kubectl uncordon k8s-node01
sleep 5
kubectl get pods -o wide
kubectl get events --field-selector involvedObject.kind=Node
