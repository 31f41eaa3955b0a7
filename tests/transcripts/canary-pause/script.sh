# Course experiment 4: a canary by pausing a rollout after its first step.
kubectl apply -f deployment-demo.yaml
kubectl apply -f service-rollout.yaml
sleep 30
kubectl get deployment -o wide
kubectl describe deployment deployment-demo | grep -i strategy
kubectl set image deployment/deployment-demo demoapp=ikubernetes/demoapp:v1.1 -n default && kubectl rollout pause deployment/deployment-demo
sleep 30
kubectl get pods
kubectl describe svc demoapp-svc
kubectl rollout status deployment/deployment-demo --watch=false
kubectl run client-$RANDOM --image=ikubernetes/admin-box:v1.2 --restart=Never -it --rm --command -- /bin/bash
for i in $(seq 20); do curl -s demoapp-svc.default; sleep 1; done | grep -c 'v1.1'
exit
kubectl rollout undo deployment/deployment-demo
kubectl rollout history deployment deployment-demo
kubectl rollout resume deployment/deployment-demo
kubectl rollout status deployment/deployment-demo
kubectl rollout history deployment deployment-demo
kubectl get pods
