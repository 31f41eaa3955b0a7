# Draining a node under a PodDisruptionBudget: six replicas, two on each node, and a budget
# that lets one be unavailable. The drain evicts one pod of k8s-node01 at once; the other
# is refused (429) and retried every 5 s until the first one's replacement is ready on
# another node, so the Deployment never has more than one pod down.
kubectl apply -f web.yaml
kubectl apply -f pdb.yaml
sleep 20
kubectl get pods -o wide
kubectl get pdb
kubectl get pdb web -o yaml
kubectl drain k8s-node01 --ignore-daemonsets --delete-emptydir-data
kubectl get pods -o wide
kubectl get nodes
kubectl describe pdb web
kubectl get events --field-selector reason=Killing
# What a drain refuses: a pod nobody manages, unless forced; a budget that allows nothing
# holds the drain until --timeout.
kubectl apply -f bare.yaml
kubectl patch pdb web --type=merge -p '{"spec":{"maxUnavailable":0}}'
sleep 5
kubectl get pdb
kubectl drain k8s-node02
kubectl drain k8s-node02 --force --timeout=12s
kubectl get pods -o wide
kubectl drain k8s-node02 --dry-run=client --force
kubectl uncordon k8s-node01 k8s-node02
