# Course experiment 3: a Deployment's rolling update, history and undo.
kubectl apply -f deployment-demo.yaml
kubectl apply -f service-rollout.yaml
sleep 30
kubectl get deploy,rs,pods
# The same file with image v1.1: only the template changed, so a new revision rolls out.
kubectl apply -f deployment-demo-v1.1.yaml && timeout 60 kubectl get rs -w
kubectl get rs
kubectl rollout history deployment deployment-demo
kubectl run client-$RANDOM --image=ikubernetes/admin-box:v1.2 --restart=Never -it --rm --command -- /bin/bash
for i in $(seq 3); do curl demoapp-svc.default; sleep .5; done
exit
kubectl rollout undo deployment deployment-demo
kubectl rollout status deployment/deployment-demo
kubectl rollout history deployment deployment-demo
kubectl rollout undo deployment deployment-demo --to-revision=2
kubectl rollout status deployment/deployment-demo
kubectl rollout history deployment deployment-demo
kubectl rollout undo deployment deployment-demo --to-revision=9
kubectl get deploy -o wide
