# Pod topology spread constraints (issue #12): the scheduler's PodTopologySpread plugin
# over the workers' zones and hostnames, its FailedScheduling text, and the API server's
# checks of a constraint.
kubectl get nodes -L topology.kubernetes.io/zone
kubectl apply -f spread-zones.yaml
kubectl wait --for=condition=Available deploy/spread-zones --timeout=120s
kubectl get pods -l app=spread-zones -o wide
kubectl cordon k8s-node03
kubectl apply -f spread-hosts.yaml
sleep 30
kubectl get pods -l app=spread-hosts -o wide
kubectl describe pods -l app=spread-hosts | grep -A2 FailedScheduling
kubectl uncordon k8s-node03
sleep 30
kubectl get pods -l app=spread-hosts -o wide
kubectl apply -f spread-racks.yaml
sleep 5
kubectl describe pod spread-racks | grep -A2 FailedScheduling
kubectl apply -f bad-spread.yaml
kubectl apply -f typo-spread.yaml
