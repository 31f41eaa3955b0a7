# Course experiment 2: a manual rolling release by scaling two ReplicaSets.
kubectl apply -f replicaset-demo.yaml
kubectl apply -f replicaset-demo-v1.1.yaml
kubectl apply -f service-rollout.yaml
sleep 30
kubectl get rs
kubectl get ep demoapp-svc
kubectl run client-$RANDOM --image=ikubernetes/admin-box:v1.2 --restart=Never -it --rm --command -- /bin/bash
for i in $(seq 3); do curl demoapp-svc.default; sleep .5; done
exit
# One v1.1 pod joins the Service as soon as it is ready.
kubectl scale rs replicaset-demo-v1.1 --replicas=1
sleep 25
kubectl get pods -l version=v1.1
kubectl get ep demoapp-svc
# Step by step: v1.0 down, v1.1 up.
kubectl scale rs replicaset-demo --replicas=4
kubectl scale rs replicaset-demo-v1.1 --replicas=2
sleep 25
kubectl scale rs replicaset-demo --replicas=2 && kubectl scale rs replicaset-demo-v1.1 --replicas=4
sleep 25
kubectl scale rs replicaset-demo --replicas=0 && kubectl scale rs replicaset-demo-v1.1 --replicas=5
sleep 40
kubectl get rs
kubectl get pods
kubectl delete -f replicaset-demo.yaml -f replicaset-demo-v1.1.yaml -f service-rollout.yaml
